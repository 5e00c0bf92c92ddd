#!/usr/bin/env python3
"""Recall of `dockerkit reverse --history H --inspect I` per builder.

For each case folder (a Dockerfile and, per builder, BUILDER.history.json[l] and BUILDER.inspect.json as
scripts/make-reverse-fixtures.sh writes them), reverse the history and compare the final stage of the original
Dockerfile with the recovered one, instruction by instruction, by meaning (BuildKit's parser reads both):
  RUN/CMD/ENTRYPOINT        the command as a list: the exec form, or the shell in force and the shell form's text
                            with line continuations and runs of blanks folded; SHELL its list
  ENV                       the names set (values are checked against the config by reverse-fixtures)
  LABEL                     names and values
  COPY/ADD                  absolute destination (or the folder holding it) and --chown
  WORKDIR                   absolute path; EXPOSE ports (ranges expanded, /tcp added); VOLUME paths
  HEALTHCHECK               test and options; ONBUILD trigger text; USER, STOPSIGNAL, MAINTAINER, ARG names
Variables are expanded from each file's own ARG defaults and ENV values. Recall is the longest common
subsequence of meanings over the original's instruction count; where the builder made the image differ from the
Dockerfile (see image_meaning), the image is the truth. Prints one line per builder, then the lowest recall.
Usage: reverse-recall.py DOCKERKIT CASE_DIR...   (run through scripts/reverse-recall.sh)
"""
import json, os, posixpath, re, subprocess, sys

import dockerfile

BUILDERS = ("classic", "buildkit", "buildah", "podman")
VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+]([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


def unquote(value):
    out, index, quote = [], 0, None
    while index < len(value):
        char = value[index]
        if quote == "'":
            if char == "'": quote = None
            else: out.append(char)
        elif quote == '"':
            if char == '"': quote = None
            elif char == "\\" and index + 1 < len(value) and value[index + 1] in '"$\\':
                index += 1; out.append(value[index])
            else: out.append(char)
        elif char in "'\"": quote = char
        elif char == "\\" and index + 1 < len(value): index += 1; out.append(value[index])
        else: out.append(char)
        index += 1
    return "".join(out)


def expand(text, scope):
    def replace(match):
        name = match.group(1) or match.group(3)
        if name in scope and scope[name] != "": return scope[name]
        return match.group(2) or ""
    return VARIABLE.sub(replace, text)


def fold(text):
    return " ".join(text.replace("\\\n", " ").split())


def ports(values):
    result = set()
    for value in values:
        number, _, protocol = value.partition("/")
        protocol = protocol or "tcp"
        low, _, high = number.partition("-")
        if low.isdigit() and (high or low).isdigit():
            result.update("%d/%s" % (port, protocol) for port in range(int(low), int(high or low) + 1))
        else:
            result.add(value)
    return frozenset(result)


def meanings(commands):
    """The final stage's instructions as (kind, meaning) pairs."""
    start = max(index for index, command in enumerate(commands) if command.cmd == "FROM")
    scope, workdir, shell, result = {}, "/", ["/bin/sh", "-c"], []
    for command in commands[:start]:
        if command.cmd == "ARG":
            for declaration in command.value:
                name, _, default = declaration.partition("=")
                scope.setdefault(name, unquote(default))
    for command in commands[start + 1:]:
        kind, value = command.cmd, list(command.value)
        if kind == "ARG":
            for declaration in value:
                name, _, default = declaration.partition("=")
                scope[name] = unquote(default)
            meaning = tuple(sorted(declaration.partition("=")[0] for declaration in value))
        elif kind == "ENV":
            for name, text in zip(value[0::2], value[1::2]):
                scope[name] = expand(unquote(text), scope)
            meaning = tuple(sorted(value[0::2]))
        elif kind == "LABEL":
            meaning = tuple(sorted((unquote(name), expand(unquote(text), scope)) for name, text in zip(value[0::2], value[1::2])))
        elif kind == "SHELL":
            shell = list(value)
            meaning = tuple(value)
        elif kind in ("RUN", "CMD", "ENTRYPOINT"):
            # the shell form means the shell in force given the text
            meaning = tuple(value) if command.json else tuple(shell + [fold(" ".join(value))])
            if kind == "RUN" and command.json and list(value[:len(shell)]) == shell and len(value) == len(shell) + 1:
                meaning = tuple(shell + [fold(value[-1])])
        elif kind in ("COPY", "ADD"):
            destination = expand(value[-1], scope)
            destination = posixpath.normpath(posixpath.join(workdir, destination))
            chown = [flag for flag in command.flags if flag.startswith("--chown=")]
            meaning = (destination, tuple(chown))
        elif kind == "WORKDIR":
            workdir = posixpath.normpath(posixpath.join(workdir, expand(value[0], scope)))
            meaning = workdir
        elif kind == "EXPOSE":
            meaning = ports(expand(port, scope) for port in value)
        elif kind == "VOLUME":
            meaning = frozenset(expand(path, scope) for path in value)
        elif kind == "HEALTHCHECK":
            options = tuple(sorted(flag for flag in command.flags))
            meaning = (options, tuple(value) if command.json or value[:1] == ["NONE"] else fold(" ".join(value)))
        elif kind == "ONBUILD":
            meaning = fold(command.original.split(None, 1)[1])
        else:
            meaning = expand(" ".join(value), scope)
        result.append((kind, meaning))
    return result


def dropped_by_builder(inspect):
    """Instructions the builder left out of the image: the OCI format (buildah and podman by default) has no
    ONBUILD, HEALTHCHECK or SHELL; docker's inspect shows each one the image has."""
    image = json.load(open(inspect))[0]
    config = image.get("Config") or {}
    if ".oci." in (image.get("ManifestType") or ""):
        return {"ONBUILD", "HEALTHCHECK", "SHELL"}
    if "ManifestType" in image:   # podman's inspect of a docker-format image shows only the health check
        return set() if image.get("Healthcheck") or config.get("Healthcheck") else {"HEALTHCHECK"}
    fields = {"ONBUILD": "OnBuild", "HEALTHCHECK": "Healthcheck", "SHELL": "Shell"}
    return {kind for kind, field in fields.items() if not config.get(field)}


def image_meaning(commands, inspect):
    """Where the builder made the image differ from its Dockerfile, the image is the truth: instructions it
    dropped are not expected (and a dropped SHELL leaves /bin/sh -c in force), and buildah runs a shell-form
    CMD/ENTRYPOINT with /bin/sh -c whatever SHELL says: the last CMD and ENTRYPOINT mean what the config holds."""
    dropped = dropped_by_builder(inspect)
    config = json.load(open(inspect))[0].get("Config") or {}
    result = meanings([command for command in commands if command.cmd not in dropped])
    for kind, field in (("CMD", "Cmd"), ("ENTRYPOINT", "Entrypoint")):
        last = max((index for index, item in enumerate(result) if item[0] == kind), default=None)
        if last is not None and config.get(field):
            result[last] = (kind, tuple(config[field]))
    return result


def matches(original, recovered):
    kind, meaning = original
    other_kind, other = recovered
    if kind != other_kind: return False
    if kind in ("COPY", "ADD"):
        return meaning[1] == other[1] and (meaning[0] == other[0] or posixpath.dirname(other[0]) == meaning[0])
    return meaning == other


def common(original, recovered):
    """Length of the longest common subsequence under `matches`."""
    previous = [0] * (len(recovered) + 1)
    for item in original:
        current = [0]
        for index, other in enumerate(recovered):
            current.append(previous[index] + 1 if matches(item, other) else max(previous[index + 1], current[index]))
        previous = current
    return previous[-1]


def main():
    dockerkit, cases = sys.argv[1], sys.argv[2:]
    found = {builder: [0, 0, []] for builder in BUILDERS}
    for case in sorted(cases):
        try:
            original = dockerfile.parse_file(os.path.join(case, "Dockerfile"))
            meanings(original)
        except Exception:
            continue
        for builder in BUILDERS:
            history = next((os.path.join(case, builder + suffix) for suffix in (".history.jsonl", ".history.json")
                            if os.path.exists(os.path.join(case, builder + suffix))), None)
            inspect = os.path.join(case, builder + ".inspect.json")
            if history is None or not os.path.exists(inspect): continue
            run = subprocess.run([dockerkit, "reverse", "--history", history, "--inspect", inspect],
                                 capture_output=True, timeout=60)
            recovered = []
            if run.returncode == 0:
                try: recovered = meanings(dockerfile.parse_string(run.stdout.decode()))
                except Exception: pass
            expected = image_meaning(original, inspect)
            matched = common(expected, recovered)
            found[builder][0] += matched
            found[builder][1] += len(expected)
            if matched < len(expected):
                missing = [item for item in expected if not any(matches(item, other) for other in recovered)]
                found[builder][2].append("%s: %d/%d, missing %s" % (os.path.basename(case.rstrip("/")), matched,
                                                                     len(expected), missing)[:400])
    lowest = 1.0
    for builder in BUILDERS:
        matched, total, notes = found[builder]
        if not total: continue
        for note in notes: print("  %s %s" % (builder, note))
        recall = matched / total
        lowest = min(lowest, recall)
        print("%-9s recall %.3f (%d/%d instructions)" % (builder, recall, matched, total))
    print("lowest recall %.3f" % lowest)


main()
