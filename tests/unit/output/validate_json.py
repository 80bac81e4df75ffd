#!/usr/bin/python3
"""Validates setkey's JSON output against one of the schema files in docs/schema/.

    validate_json.py SCHEMA FILE...     (FILE "-" reads stdin)

Each FILE holds one or more JSON values back to back: a -o json stream of documents
(indented or not) or -o jsonl lines. Every value must validate; a FILE without any value
is an error too, so an empty capture cannot pass. Uses the python3-jsonschema of
Debian 12 (4.10, which knows draft 2020-12). Prints one line per problem; exit 0 when
all is valid, 1 when something is not, 2 on a usage or setup error.
"""
import json
import sys

try:
    from jsonschema import Draft202012Validator
except ImportError as e:  # python3-jsonschema missing or older than 4.0
    print(f"validate_json: no draft 2020-12 validator ({e}); apt-get install python3-jsonschema",
          file=sys.stderr)
    sys.exit(2)


def values(text):
    """The JSON values of text, in order, with the line each starts on."""
    decoder = json.JSONDecoder()
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos == len(text):
            return
        value, end = decoder.raw_decode(text, pos)
        yield text.count("\n", 0, pos) + 1, value
        pos = end


def deepest(error):
    """The innermost cause of an anyOf/if failure: the one that names the field."""
    while error.context:
        error = max(error.context, key=lambda e: len(e.absolute_path))
    return error


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    bad = 0
    for name in argv[2:]:
        if name == "-":
            text = sys.stdin.read()
        else:
            with open(name, encoding="utf-8") as f:
                text = f.read()
        count = 0
        try:
            for line, value in values(text):
                count += 1
                for error in sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path)):
                    error = deepest(error)
                    where = "/".join(str(p) for p in error.absolute_path)
                    print(f"{name}:{line}: /{where}: {error.message}")
                    bad += 1
        except json.JSONDecodeError as e:
            print(f"{name}: not JSON: {e}")
            bad += 1
        if count == 0:
            print(f"{name}: no JSON value")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
