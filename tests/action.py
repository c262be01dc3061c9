#!/usr/bin/env python3
"""action.py -- chartlint's GitHub Action (action.yml, .github/action/run.sh) and the
project's workflows, tested without GitHub.

    action.py CHARTLINT SRCDIR WORKDIR

Static part: action.yml is a composite action whose run: lines hold no ${{ }} at all
(every input goes through env:), every input is used, the SARIF upload is
github/codeql-action/upload-sarif@v4 guarded against fork pull requests and by the
upload-sarif input, and the verdict step comes after it; .github/workflows/ci.yml keeps
the `bash .ci/run` job and runs the action (uses: ./) on the example chart.

Run part: the action's run: steps are executed as GitHub would, in order, from the
text of action.yml: each step's env: is evaluated (only ${{ inputs.X }} and
${{ steps.ID.outputs.X }} occur), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY are temporary
files, and the upload step is skipped. Hostile input strings ($(...), backticks,
quotes, newlines with workflow commands) must reach chartlint literally and run
nothing. Prints "ok NAME" or "FAIL NAME: why"."""
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

BIN, SRC, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
failures = 0
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def ok(name):
    print("ok " + name)


def fail(name, why, detail=""):
    global failures
    failures += 1
    print("FAIL %s: %s" % (name, why))
    if detail:
        print(detail)


def expect(name, cond, why, detail=""):
    if cond:
        ok(name)
    else:
        fail(name, why, detail)


def load(rel):
    with open(os.path.join(SRC, rel)) as fp:
        return yaml.safe_load(fp)


# ---- static checks ----------------------------------------------------------------

def static_action(action):
    steps = action["runs"]["steps"]
    expect("action.composite", action["runs"].get("using") == "composite", "not composite")
    runs = [s for s in steps if "run" in s]
    bad = [s.get("name") for s in runs if "${{" in s["run"]]
    expect("action.no-expressions-in-run", not bad, "run: with ${{ }} in steps %r" % bad)
    expect("action.shell-bash", all(s.get("shell") == "bash" for s in runs),
           "a run: step without shell: bash")
    expect("action.script", all(s["run"].startswith('bash "$GITHUB_ACTION_PATH/.github/action/'
                                                    'run.sh" ') for s in runs),
           "steps must call .github/action/run.sh")

    text = yaml.safe_dump(steps)
    used = set(re.findall(r"inputs\.([A-Za-z0-9_-]+)", text))
    declared = set(action["inputs"])
    expect("action.inputs-used", declared == used,
           "declared %r, used %r" % (sorted(declared), sorted(used)))
    # inputs only in env:, with: and if: -- never anywhere else in a step
    for s in steps:
        for key, val in s.items():
            if key in ("env", "with", "if"):
                continue
            if "inputs." in yaml.safe_dump(val):
                fail("action.inputs-only-in-env", "step %r uses inputs in %s" %
                     (s.get("name"), key))
                break
    ok("action.inputs-only-in-env-checked")

    uploads = [i for i, s in enumerate(steps) if "uses" in s]
    expect("action.one-upload", len(uploads) == 1 and
           steps[uploads[0]]["uses"] == "github/codeql-action/upload-sarif@v4",
           "want one uses: github/codeql-action/upload-sarif@v4")
    if uploads:
        up = steps[uploads[0]]
        cond = " ".join(str(up.get("if", "")).split())
        expect("action.upload-guard",
               "inputs.upload-sarif == 'true'" in cond and
               "github.event.pull_request.head.repo.full_name == github.repository" in cond and
               "github.event.pull_request == null" in cond,
               "upload if: %r" % cond)
        expect("action.upload-file", up.get("with", {}).get("sarif_file") ==
               "${{ steps.lint.outputs.sarif-file }}", "sarif_file: %r" % up.get("with"))
        last = steps[-1]
        expect("action.verdict-last", uploads[0] < len(steps) - 1 and
               "verdict" in last.get("run", ""), "the verdict step must follow the upload")
    for name, out in action["outputs"].items():
        expect("action.output." + name,
               out["value"] == "${{ steps.lint.outputs.%s }}" % name, "value %r" % out["value"])


def static_workflow(wf):
    jobs = wf.get("jobs", {})
    steps = [s for j in jobs.values() for s in j.get("steps", [])]
    expect("workflow.ci-run", any(s.get("run", "").strip() == "bash .ci/run" for s in steps),
           "no step runs bash .ci/run")
    act = [(name, j) for name, j in jobs.items()
           if any(s.get("uses") == "./" for s in j.get("steps", []))]
    expect("workflow.action-job", len(act) == 1, "want one job using ./")
    if not act:
        return
    name, job = act[0]
    uses = [s for s in job["steps"] if s.get("uses") == "./"]
    first = uses[0].get("with", {})
    expect("workflow.example-chart", first.get("paths") == "testdata/charts/my-app",
           "paths %r" % first.get("paths"))
    upload = str(first.get("upload-sarif", "false")) == "true"
    perms = job.get("permissions", wf.get("permissions", {})) or {}
    expect("workflow.upload-permissions",
           not upload or perms.get("security-events") == "write",
           "upload-sarif on needs permissions: security-events: write")
    handled = first.get("fail-on") == "none" or uses[0].get("continue-on-error")
    expect("workflow.findings-handled", bool(handled),
           "the example has findings: fail-on none or continue-on-error")
    ids = {s.get("id") for s in uses}
    checked = [s for s in job["steps"] if "run" in s and
               any("steps.%s.outputs" % i in yaml.safe_dump(s.get("env", {})) for i in ids if i)]
    expect("workflow.outputs-checked", bool(checked), "no step checks the action's outputs")
    bad = [s.get("name") for j in jobs.values() for s in j.get("steps", [])
           if "run" in s and "${{" in s["run"]]
    expect("workflow.no-expressions-in-run", not bad, "run: with ${{ }}: %r" % bad)


# ---- running the action's steps ---------------------------------------------------

def read_outputs(path):
    """Parse a GITHUB_OUTPUT file: name=value lines and name<<EOF blocks."""
    out = {}
    with open(path) as fp:
        lines = fp.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, eof = line.split("<<", 1)
            val = []
            while i < len(lines) and lines[i] != eof:
                val.append(lines[i])
                i += 1
            i += 1
            out[name] = "\n".join(val)
        else:
            name, val = line.split("=", 1)
            out[name] = val
    return out


def evaluate(value, inputs, outputs):
    def one(m):
        expr = m.group(1)
        if expr.startswith("inputs."):
            return inputs[expr[len("inputs."):]]
        m2 = re.fullmatch(r"steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)", expr)
        if m2:
            return outputs.get(m2.group(1), {}).get(m2.group(2), "")
        raise ValueError("unexpected expression " + expr)
    return EXPR.sub(one, str(value))


class Result:
    def __init__(self):
        self.steps = {}        # id or name -> (rc, stdout, stderr)
        self.outputs = {}      # step id -> outputs
        self.summary = ""
        self.failed_at = None


def run_action(action, case, given, extra_env=None):
    """Run the action's steps as GitHub would, in WORK/case. Returns a Result."""
    cwd = os.path.join(WORK, case)
    os.makedirs(cwd, exist_ok=True)
    tmp = os.path.join(WORK, case + ".runner")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    inputs.update(given)
    summary = os.path.join(tmp, "summary.md")
    res = Result()
    for n, step in enumerate(action["runs"]["steps"]):
        sid = step.get("id", "step%d" % n)
        if "uses" in step:
            continue                    # the upload: GitHub's, not ours to run here
        out_file = os.path.join(tmp, "output-%d" % n)
        open(out_file, "w").close()
        env = {"PATH": os.environ["PATH"], "HOME": tmp, "LANG": "C.UTF-8",
               "GITHUB_ACTION_PATH": SRC, "GITHUB_OUTPUT": out_file,
               "GITHUB_STEP_SUMMARY": summary, "RUNNER_TEMP": tmp,
               "GITHUB_WORKSPACE": cwd}
        env.update(extra_env or {})
        for k, v in (step.get("env") or {}).items():
            env[k] = evaluate(v, inputs, res.outputs)
        p = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, env=env,
                           capture_output=True, text=True, timeout=300)
        res.steps[sid] = (p.returncode, p.stdout, p.stderr)
        res.outputs[sid] = read_outputs(out_file)
        if p.returncode != 0:
            res.failed_at = sid
            break
    if os.path.exists(summary):
        with open(summary) as fp:
            res.summary = fp.read()
    return res


def detail(res):
    return "\n".join("--- %s: exit %d\n%s%s" % (k, v[0], v[1], v[2]) for k, v in res.steps.items())


def write(case, rel, text):
    path = os.path.join(WORK, case, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fp:
        fp.write(text)


CLEAN = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n"


def runs(action):
    chart = os.path.join(SRC, "testdata", "charts", "my-app")
    prebuilt = {"chartlint": BIN}

    # the example chart: findings, SARIF, outputs, summary; fails afterwards
    res = run_action(action, "example", dict(prebuilt, paths=chart))
    lint = res.outputs.get("lint", {})
    expect("run.example-fails-by-fail-on", res.failed_at == "step3" and
           res.steps["step3"][0] == 1, "failed at %r" % res.failed_at, detail(res))
    expect("run.example-exit-code", lint.get("exit-code") == "1", "outputs %r" % lint)
    expect("run.example-counts", int(lint.get("findings", "0")) > 0 and
           int(lint.get("findings")) == sum(int(lint.get(k, "0"))
                                            for k in ("errors", "warnings", "infos")),
           "outputs %r" % lint)
    sarif = os.path.join(WORK, "example", lint.get("sarif-file", "missing"))
    try:
        with open(sarif) as fp:
            doc = json.load(fp)
        n = len(doc["runs"][0]["results"])
        expect("run.example-sarif", doc["version"] == "2.1.0" and n == int(lint["findings"]),
               "%d results for %s findings" % (n, lint.get("findings")))
    except (OSError, ValueError, KeyError) as e:
        fail("run.example-sarif", "no SARIF: %s" % e, detail(res))
    expect("run.example-annotations", "::error file=" in res.steps["lint"][1] or
           "::warning file=" in res.steps["lint"][1], "no workflow annotations", detail(res))
    expect("run.example-summary", "| errors | warnings |" in res.summary and
           "liveness-probe" in res.summary, "summary %r" % res.summary[:300])
    log = lint.get("log-file", "")
    expect("run.example-log", log and os.path.exists(log) and
           "liveness-probe" in open(log).read(), "log %r" % log)

    # fail-on none: the same findings, the verdict passes
    res = run_action(action, "none", dict(prebuilt, paths=chart, **{"fail-on": "none"}))
    expect("run.fail-on-none", res.failed_at is None and
           res.outputs["lint"].get("exit-code") == "1", "failed at %r" % res.failed_at,
           detail(res))

    # clean manifest: exit 0, verdict passes; fail-on info on an info-only finding fails
    write("clean", "deploy/cm.yaml", CLEAN)
    res = run_action(action, "clean", dict(prebuilt, paths="deploy"))
    expect("run.clean", res.failed_at is None and res.outputs["lint"]["exit-code"] == "0" and
           res.outputs["lint"]["findings"] == "0", "failed at %r" % res.failed_at, detail(res))
    write("info", "deploy/list.yaml", "apiVersion: v1\nkind: Nothing\n---\nplain: text\n")
    res = run_action(action, "info", dict(prebuilt, paths="deploy", **{"fail-on": "info"}))
    expect("run.fail-on-info", res.failed_at == "step3" and
           res.outputs["lint"]["infos"] != "0", "failed at %r" % res.failed_at, detail(res))
    res = run_action(action, "info", dict(prebuilt, paths="deploy"))
    expect("run.info-below-warning", res.failed_at is None, "failed at %r" % res.failed_at,
           detail(res))

    # values, extra args and several paths split on white space; sarif in a new dir
    write("opts", "deploy/a.yaml", CLEAN)
    write("opts", "deploy/b.yaml", CLEAN.replace("settings", "other"))
    res = run_action(action, "opts", dict(
        prebuilt, paths="deploy/a.yaml\n  deploy/b.yaml ", args="--verbose  --format text",
        values="", **{"sarif-file": "out/dir/r.sarif"}))
    err = res.steps.get("lint", (0, "", ""))[2]
    expect("run.paths-and-args", res.failed_at is None and
           'linting "deploy/a.yaml"' in err and 'linting "deploy/b.yaml"' in err and
           os.path.exists(os.path.join(WORK, "opts", "out/dir/r.sarif")),
           "failed at %r" % res.failed_at, detail(res))

    # hostile strings: literal arguments, nothing runs (were any of them evaluated by a
    # shell, ${IFS} would become a space and touch would create the file)
    tmp_pwned = "/tmp/chartlint-action-pwned-%d" % os.getpid()
    hostile = {
        "paths": "$(touch${IFS}pwned-paths) `touch${IFS}pwned-tick` x;touch${IFS}pwned-semi "
                 "'\"q\"'$(touch${IFS}%s)" % tmp_pwned,
        "values": "$(touch${IFS}pwned-values)",
        "args": "--namespace $(touch${IFS}pwned-args)",
        "sarif-file": "$(touch${IFS}pwned-sarif).sarif",
    }
    write("hostile", "deploy/cm.yaml", CLEAN)
    res = run_action(action, "hostile", dict(prebuilt, **hostile))
    made = [p for p in os.listdir(os.path.join(WORK, "hostile")) if p.startswith("pwned")]
    expect("run.hostile-nothing-ran", not made and not os.path.exists(tmp_pwned),
           "created %r" % made, detail(res))
    lint = res.outputs.get("lint", {})
    err = res.steps.get("lint", (0, "", ""))[2]
    if lint.get("log-file") and os.path.exists(lint["log-file"]):
        err += open(lint["log-file"]).read()
    expect("run.hostile-literal", "$(touch${IFS}pwned-paths)" in err and
           "`touch${IFS}pwned-tick`" in err and "x;touch${IFS}pwned-semi" in err,
           "paths not passed literally", detail(res))
    expect("run.hostile-exit-2", lint.get("exit-code") == "2" and
           res.failed_at == "step3" and res.steps["step3"][0] == 2,
           "exit %r, failed at %r" % (lint.get("exit-code"), res.failed_at), detail(res))
    expect("run.hostile-sarif-name", os.path.exists(os.path.join(
        WORK, "hostile", "$(touch${IFS}pwned-sarif).sarif")), "SARIF not at the literal name")

    # a bad input value cannot inject a workflow command
    res = run_action(action, "inject", dict(prebuilt, paths=chart,
                                            **{"fail-on": "bogus\n::warning::injected"}))
    out = res.steps.get("lint", (0, "", ""))[1]
    expect("run.bad-fail-on", res.failed_at == "lint" and res.steps["lint"][0] == 2 and
           "%0A::warning::injected" in out and
           not any(line.startswith("::warning") for line in out.splitlines()),
           "failed at %r" % res.failed_at, detail(res))

    # building from the action's source: cmake gets -S GITHUB_ACTION_PATH, tests off,
    # the chartlint target (a stand-in cmake records its arguments)
    fake = os.path.join(WORK, "fakebin")
    os.makedirs(fake, exist_ok=True)
    with open(os.path.join(fake, "cmake"), "w") as fp:
        fp.write('#!/bin/sh\nprintf "%%s\\n" "$*" >> "%s/cmake.log"\n'
                 'if [ "$1" = --build ]; then cp "%s" "$2/chartlint"; fi\n'
                 'if [ "$1" = -S ]; then mkdir -p "$4"; fi\n' % (WORK, BIN))
    os.chmod(os.path.join(fake, "cmake"), 0o755)
    if os.path.exists(os.path.join(WORK, "cmake.log")):
        os.remove(os.path.join(WORK, "cmake.log"))
    write("build", "deploy/cm.yaml", CLEAN)
    res = run_action(action, "build", {"paths": "deploy"},
                     extra_env={"PATH": fake + os.pathsep + os.environ["PATH"]})
    try:
        with open(os.path.join(WORK, "cmake.log")) as fp:
            calls = fp.read().splitlines()
    except OSError:
        calls = []
    built = res.outputs.get("build", {}).get("chartlint", "")
    expect("run.build-from-source", len(calls) == 2 and
           calls[0].startswith("-S %s -B " % SRC) and "-DCHARTLINT_TESTS=OFF" in calls[0] and
           "--target chartlint" in calls[1] and built.endswith("/chartlint-build/chartlint") and
           res.failed_at is None, "cmake calls %r, chartlint %r" % (calls, built), detail(res))
    res = run_action(action, "build", {"paths": "deploy", "chartlint": "/nonexistent/x"})
    expect("run.bad-binary", res.failed_at == "build", "failed at %r" % res.failed_at,
           detail(res))


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    action = load("action.yml")
    static_action(action)
    static_workflow(load(".github/workflows/ci.yml"))
    runs(action)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
