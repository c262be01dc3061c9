#!/usr/bin/env python3
"""repo_layout.py -- a repository of several charts and plain manifests, linted the way
pre-commit hands changed files over: each chart is linted once, files map to the chart
helm renders them in, and exit codes are right.

    repo_layout.py CHARTLINT SRCDIR WORKDIR

Part one calls chartlint directly with file lists. Part two runs the real pre-commit
(Debian's package) offline on a temporary git repository, with the hook exactly as
.pre-commit-hooks.yaml defines it: a commit touching files in two charts lints those
two charts once each and is refused because of their findings; a commit touching a
clean chart passes. Without pre-commit installed part two is skipped (exit 77), or
fails when CI=true. Prints "ok NAME" or "FAIL NAME: why" per case."""
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

BIN, SRC, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
REPO = os.path.join(WORK, "repo")
failures = 0

# A chart whose Deployment lacks probes, limits and a security context: findings at
# warning and error.
WEB_DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.name" . }}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: "nginx:{{ .Values.tag }}"
"""

# A chart rendering nothing but a ConfigMap: no finding at all.
CLEAN_CM = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
data:
  level: {{ .Values.level | quote }}
"""


def chart_yaml(name):
    return "apiVersion: v2\nname: %s\ndescription: %s test chart\nversion: 0.1.0\n" % (name, name)


LAYOUT = {
    "charts/web/Chart.yaml": chart_yaml("web"),
    "charts/web/values.yaml": "tag: 1.27.0\n",
    "charts/web/templates/_helpers.tpl": '{{- define "web.name" -}}web{{- end -}}\n',
    "charts/web/templates/deployment.yaml": WEB_DEPLOY,
    "charts/web/templates/NOTES.txt": "web is installed\n",
    # a subchart: helm renders it as part of web, so its files lint web
    "charts/web/charts/cache/Chart.yaml": chart_yaml("cache"),
    "charts/web/charts/cache/values.yaml": "level: info\n",
    "charts/web/charts/cache/templates/cm.yaml": CLEAN_CM,
    "charts/api/Chart.yaml": chart_yaml("api"),
    "charts/api/values.yaml": "tag: 2.0.0\n",
    "charts/api/templates/_helpers.tpl": '{{- define "web.name" -}}api{{- end -}}\n',
    "charts/api/templates/deployment.yaml": WEB_DEPLOY,
    "charts/settings/Chart.yaml": chart_yaml("settings"),
    "charts/settings/values.yaml": "level: info\n",
    "charts/settings/templates/cm.yaml": CLEAN_CM,
    "manifests/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n"
                         "data:\n  a: b\n",
    "manifests/README.txt": "plain manifests\n",
    # looks like a chart but has no Chart.yaml: a plain manifest
    "fake/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fake\n",
}


def ok(name):
    print("ok " + name)


def fail(name, why, res=None):
    global failures
    failures += 1
    print("FAIL %s: %s" % (name, why))
    if res is not None:
        print("--- stdout:\n" + res.stdout + "--- stderr:\n" + res.stderr)


def expect(name, cond, why, res=None):
    if cond:
        ok(name)
    else:
        fail(name, why, res)


def write_layout():
    shutil.rmtree(WORK, ignore_errors=True)
    for rel, text in LAYOUT.items():
        path = os.path.join(REPO, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fp:
            fp.write(text)


def lint(*args, cwd=REPO):
    return subprocess.run([BIN] + list(args), cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def linted(stderr):
    """What --verbose says was linted: a list of 'chart X' / 'file X', in order."""
    out = []
    for line in stderr.splitlines():
        m = re.match(r'chartlint: linting (chart )?"(.*)"$', line)
        if m:
            out.append(("chart " if m.group(1) else "file ") + m.group(2))
    return out


def direct():
    files = ["charts/web/templates/deployment.yaml", "charts/web/values.yaml",
             "charts/web/templates/_helpers.tpl", "charts/web/templates/NOTES.txt",
             "charts/web/charts/cache/templates/cm.yaml", "charts/api/Chart.yaml",
             "manifests/cm.yaml", "manifests/README.txt", "fake/templates/cm.yaml",
             "charts/api/values.yaml", "manifests/cm.yaml"]
    res = lint("--verbose", "--format", "json", *files)
    got = linted(res.stderr)
    want = ["chart charts/web", "chart charts/api", "file manifests/cm.yaml",
            "file fake/templates/cm.yaml"]
    expect("direct.each-chart-once", got == want, "linted %r, want %r" % (got, want), res)
    expect("direct.exit-findings", res.returncode == 1, "exit %d, want 1" % res.returncode, res)
    try:
        doc = json.loads(res.stdout)
    except ValueError as e:
        fail("direct.json", "not JSON: %s" % e, res)
        return
    files_seen = sorted({f["file"] for f in doc["findings"]})
    expect("direct.findings-in-both-charts",
           files_seen == ["charts/api/templates/deployment.yaml",
                          "charts/web/templates/deployment.yaml"],
           "findings in %r" % files_seen, res)
    # every finding once: web and api each report the same checks on their Deployment
    keys = [(f["file"], f["line"], f["column"], f["code"]) for f in doc["findings"]]
    expect("direct.no-duplicate-findings", len(keys) == len(set(keys)), "duplicates", res)
    # web's Deployment and its subchart's ConfigMap, api's Deployment, two plain files
    expect("direct.subchart-rendered-with-parent", doc["summary"]["objects"] == 5,
           "objects %d, want 5" % doc["summary"]["objects"], res)
    notes = [e for e in doc["errors"] if e["file"] == "manifests/README.txt"]
    expect("direct.non-manifest-note", len(notes) == 1 and "skipped" in notes[0]["message"],
           "errors %r" % doc["errors"], res)
    expect("direct.only-the-note", len(doc["errors"]) == 1, "errors %r" % doc["errors"], res)

    # the whole repository as a JUnit report: well-structured, a testcase per check x
    # object, the two charts' Deployments apart
    res = lint("--format", "text", "--output", "junit=" + os.path.join(WORK, "report.xml"),
               "charts", "manifests", "fake")
    chk = subprocess.run([sys.executable, os.path.join(SRC, "tests", "junit_check.py"),
                          os.path.join(WORK, "report.xml")], capture_output=True, text=True)
    expect("direct.junit-structure", res.returncode == 1 and chk.returncode == 0,
           "exit %d; %s" % (res.returncode, chk.stdout), res)
    with open(os.path.join(WORK, "report.xml")) as fp:
        report = fp.read()
    expect("direct.junit-testcases",
           'classname="liveness-probe" name="Deployment/default/web (charts/web)"' in report
           and 'classname="liveness-probe" name="Deployment/default/api (charts/api)"' in report,
           "testcases missing", res)

    # a subchart's file alone lints its parent
    res = lint("-v", "charts/web/charts/cache/values.yaml")
    got = linted(res.stderr)
    expect("direct.subchart-maps-to-parent", got == ["chart charts/web"], "linted %r" % got, res)

    # clean chart and clean manifest: exit 0; findings below --fail-on: exit 0
    res = lint("-v", "charts/settings/values.yaml", "charts/settings/templates/cm.yaml",
               "manifests/cm.yaml")
    expect("direct.clean-exit-0", res.returncode == 0 and
           linted(res.stderr) == ["chart charts/settings", "file manifests/cm.yaml"],
           "exit %d, linted %r" % (res.returncode, linted(res.stderr)), res)
    res = lint("--fail-on", "error", "--disable", "CL4001", "charts/api/values.yaml")
    high = lint("--format", "json", "charts/api/values.yaml")
    errors = json.loads(high.stdout)["summary"]["error"] if high.stdout else -1
    expect("direct.fail-on-error", res.returncode == (1 if errors > 0 else 0),
           "exit %d with %d errors" % (res.returncode, errors), res)

    # only a non-manifest file outside any chart: a note, exit 0 (not 2)
    res = lint("manifests/README.txt")
    expect("direct.only-note-exit-0", res.returncode == 0 and "skipped" in res.stderr,
           "exit %d" % res.returncode, res)
    # a missing file is still a usage error when nothing was read
    res = lint("charts/nope/values.yaml")
    expect("direct.missing-exit-2", res.returncode == 2, "exit %d" % res.returncode, res)
    # a directory inside a chart lints the chart (its templates are no manifests)
    res = lint("-v", "charts/web/templates", "charts/web/charts/cache/templates/")
    expect("direct.dir-in-chart", linted(res.stderr) == ["chart charts/web"] and
           "already linted: chart \"charts/web\"" in res.stderr and res.returncode == 1,
           "linted %r" % linted(res.stderr), res)
    # a chart-looking directory without Chart.yaml is walked as plain manifests
    res = lint("-v", "fake")
    expect("direct.fake-chart-dir", linted(res.stderr) == ["file fake/templates/cm.yaml"],
           "linted %r" % linted(res.stderr), res)


def git(*args, check=True):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid",
               GIT_CONFIG_NOSYSTEM="1", HOME=WORK)
    return subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "core.hooksPath=",
                           "-c", "commit.gpgsign=false"] + list(args), cwd=REPO, env=env,
                          capture_output=True, text=True, check=check, timeout=120)


def pre_commit_env():
    bindir = os.path.join(WORK, "bin")
    os.makedirs(bindir, exist_ok=True)
    link = os.path.join(bindir, "chartlint")
    if not os.path.exists(link):
        os.symlink(BIN, link)
    return dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""),
                PRE_COMMIT_HOME=os.path.join(WORK, "pre-commit-home"), HOME=WORK,
                GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
                GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid",
                GIT_CONFIG_NOSYSTEM="1", PRE_COMMIT_COLOR="never", NO_COLOR="1")


def commit(env, message):
    return subprocess.run(["git", "-c", "commit.gpgsign=false", "commit", "-q", "-m", message],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


def with_pre_commit(pre_commit):
    env = pre_commit_env()
    res = subprocess.run([pre_commit, "validate-manifest",
                          os.path.join(SRC, ".pre-commit-hooks.yaml")],
                         cwd=WORK, env=env, capture_output=True, text=True, timeout=120)
    expect("pre-commit.manifest-valid", res.returncode == 0, "exit %d" % res.returncode, res)
    with open(os.path.join(SRC, ".pre-commit-hooks.yaml")) as fp:
        hooks = yaml.safe_load(fp)
    hook = dict(next(h for h in hooks if h["id"] == "chartlint"))
    # the published hook as it is, plus --verbose to see what was linted
    hook["args"] = list(hook.get("args", [])) + ["--verbose"]
    hook["verbose"] = True
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    with open(os.path.join(REPO, ".pre-commit-config.yaml"), "w") as fp:
        yaml.safe_dump(config, fp)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "layout")
    res = subprocess.run([pre_commit, "install"], cwd=REPO, env=env, capture_output=True,
                         text=True, timeout=120)
    if res.returncode != 0:
        fail("pre-commit.install", "exit %d" % res.returncode, res)
        return

    # change files in two charts (a template and values of web, values of api), a
    # plain manifest's neighbour that the hook's files: pattern leaves alone
    for rel, extra in (("charts/web/templates/deployment.yaml", "# touched\n"),
                       ("charts/web/values.yaml", "# touched\n"),
                       ("charts/web/templates/_helpers.tpl", "{{/* touched */}}\n"),
                       ("charts/api/values.yaml", "# touched\n"),
                       ("manifests/README.txt", "touched\n")):
        with open(os.path.join(REPO, rel), "a") as fp:
            fp.write(extra)
    git("add", "-A")
    res = commit(env, "two charts")
    got = linted(res.stdout + res.stderr)
    expect("pre-commit.two-charts-once",
           sorted(got) == ["chart charts/api", "chart charts/web"],
           "linted %r" % got, res)
    expect("pre-commit.findings-refuse-commit", res.returncode != 0 and
           "deployment.yaml" in res.stdout + res.stderr,
           "commit exit %d" % res.returncode, res)
    head = git("rev-list", "--count", "HEAD").stdout.strip()
    expect("pre-commit.no-commit-made", head == "1", "%s commits" % head)

    # the same change with findings below the fail level: the hook passes, then a
    # clean chart's change passes with the published arguments untouched
    res = subprocess.run([pre_commit, "run", "--files", "charts/web/values.yaml",
                          "charts/api/values.yaml", "charts/web/templates/NOTES.txt"],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    expect("pre-commit.run-files-exit-1", res.returncode == 1 and
           sorted(linted(res.stdout)) == ["chart charts/api", "chart charts/web"],
           "exit %d, linted %r" % (res.returncode, linted(res.stdout)), res)
    git("reset", "-q", "--hard")
    with open(os.path.join(REPO, "charts/settings/values.yaml"), "a") as fp:
        fp.write("# touched\n")
    with open(os.path.join(REPO, "charts/settings/templates/cm.yaml"), "a") as fp:
        fp.write("# touched\n")
    git("add", "-A")
    res = commit(env, "clean chart")
    expect("pre-commit.clean-change-passes", res.returncode == 0 and
           linted(res.stdout + res.stderr) == ["chart charts/settings"],
           "commit exit %d, linted %r" % (res.returncode, linted(res.stdout + res.stderr)), res)
    head = git("rev-list", "--count", "HEAD").stdout.strip()
    expect("pre-commit.clean-commit-made", head == "2", "%s commits" % head)

    # a change outside every chart the pattern does not match: the hook is skipped
    with open(os.path.join(REPO, "manifests/README.txt"), "a") as fp:
        fp.write("again\n")
    git("add", "-A")
    res = commit(env, "docs")
    expect("pre-commit.unrelated-change-skips", res.returncode == 0 and
           not linted(res.stdout + res.stderr), "commit exit %d" % res.returncode, res)


def main():
    write_layout()
    direct()
    pre_commit = shutil.which("pre-commit")
    if not pre_commit or not shutil.which("git"):
        msg = "pre-commit or git is not installed (.ci/deps installs them)"
        if os.environ.get("CI") == "true":
            fail("pre-commit", msg + "; CI=true requires it")
        else:
            print("skip pre-commit: " + msg)
            return 1 if failures else 77
    else:
        with_pre_commit(pre_commit)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
