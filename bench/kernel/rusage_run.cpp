// Runs a command and appends its wall time, peak RSS and exit status to a file (the
// guest has no /usr/bin/time):
//   rusage_run OUTFILE LABEL CMD ARGS...
// appends: LABEL wall=S maxrss_kib=K status=X
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: rusage_run OUTFILE LABEL CMD ARGS...\n");
        return 125;
    }
    const auto t0 = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[3], argv + 3);
        std::fprintf(stderr, "rusage_run: %s: %s\n", argv[3], std::strerror(errno));
        _exit(127);
    }
    int status = 0;
    rusage ru{};
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) return 125;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (FILE* f = std::fopen(argv[1], "a")) {
        std::fprintf(f, "%s wall=%.3f maxrss_kib=%ld status=%d\n", argv[2], wall, ru.ru_maxrss, code);
        std::fclose(f);
    }
    return code;
}
