#!/usr/bin/env python3
"""Mutation fuzzing of whole sites: copies a fixture site (the sample site, or a small generated
one), damages one or a few of its files, and runs `jianbao check` or `jianbao build` on it with a
time limit and an address-space limit, counting panics, hangs and memory blowups.

    cargo build
    python3 fuzz/mutate_sites.py --cases 1500 [--bin target/debug/jianbao] [--seed 1]

Failing cases are kept in fuzz/failures/ (one folder each, with the command and its output).
Exit status 1 if any case panicked, hung or blew its memory. Standard library only.
"""

import argparse
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT_S = 20
MEMORY_BYTES = 1 << 30

# Text a hostile or careless user might type, at any place of any file.
HOSTILE = [
    "99999999999999999999", "-1", "18446744073709551615", "1e308", "-0", "0.5", "NaN", ".inf",
    "0001-01-01", "9999-12-31", "2019-02-30", "2019-13-01", "\x00", "\x07", "\x1b[31m", "\u202e",
    "\ufeff", "\ud7ff", "\uffff", "&", "<script>alert(1)</script>", "]]>", "'", '"', "\\",
    "=HYPERLINK(\"http://x\")", "+cmd", "@SUM(A1)", "../../etc/passwd", "/etc/passwd",
    "javascript:alert(1)//x/", "：", "\u3000", "\t", "\r", "\r\n", "~", "null", "[]", "{}",
    "*a", "&a [1]", "!!binary aGk=", "!!python/object:x {}", "? ", "- - -", "---", "...",
    "x" * 300, "走" * 20000, "[" * 2000, "{" * 2000, "{{", "}}", "{%", "%}", "{#",
    "{{ stat(metric=\"households\") }}", "{{ chart(kind=\"pie\", metric=\"x\") }}",
    "{% for i in range(end=99999) %}{% for j in range(end=99999) %}x{% endfor %}{% endfor %}",
    "{% set_global s = \"xxxxxxxxxx\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}",
    "{% for i in range(end=100000) %}{{ chart(kind=\"bar\", metric=\"households\", by=\"unit\") }}{% endfor %}",
    "{{ \"x\"|replace(from=\"x\", to=\"xxxxxxxxxx\")|replace(from=\"x\", to=\"xxxxxxxxxx\")|replace(from=\"x\", to=\"xxxxxxxxxx\")|replace(from=\"x\", to=\"xxxxxxxxxx\")|replace(from=\"x\", to=\"xxxxxxxxxx\")|replace(from=\"x\", to=\"xxxxxxxxxx\")|replace(from=\"x\", to=\"xxxxxxxxxx\") }}",
    "{% raw %}", "{% endraw %}", "{% if %}", "{% endfor %}", "![x](../../../etc/passwd)",
    "[x](@/articles/nope)", "1800余", "逾1000", "\n#", "\n- ", "\n  - ", ": :", "a: b: c",
]
BILLION_LAUGHS = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
    for i in range(8)
)
TEXT_EXT = (".yaml", ".yml", ".md", ".csv")


def generated_site(dest, rng):
    """A small site: a few units, metrics, campaigns, records, articles and an issue."""
    units = [f"u{i}" for i in range(rng.randint(1, 4))]
    metrics = ["households", "meetings", "leaflets"][: rng.randint(1, 3)]
    with open(os.path.join(dest, "site.yaml"), "w") as f:
        f.write("title: 生成的简报\npublisher: 测试\nunits:\n")
        for u in units:
            f.write(f"  {u}: {{ name: 单位{u} }}\n")
        f.write("metrics:\n")
        for m in metrics:
            f.write(f"  {m}: {{ label: 指标{m}, unit: 户 }}\n")
    for c in range(rng.randint(1, 3)):
        d = os.path.join(dest, "content", "campaigns", f"c{c}")
        os.makedirs(os.path.join(d, "records"))
        os.makedirs(os.path.join(d, "articles"))
        with open(os.path.join(d, "campaign.yaml"), "w") as f:
            f.write(f"title: 活动{c}\nstart: 2019-01-01\nend: 2019-12-31\ntargets: {{ {metrics[0]}: 1000 }}\n")
        with open(os.path.join(d, "records", "r.yaml"), "w") as f:
            for _ in range(rng.randint(1, 20)):
                m = rng.choice(metrics)
                f.write(f"- date: 2019-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n"
                        f"  unit: {rng.choice(units)}\n  activity: 走访\n  metrics: {{ {m}: {rng.randint(0, 5000)} }}\n")
        with open(os.path.join(d, "records", "r.csv"), "w") as f:
            f.write("date,unit," + ",".join(metrics) + "\n")
            for _ in range(rng.randint(1, 10)):
                f.write(f"2019-0{rng.randint(1, 9)}-1{rng.randint(0, 9)},{rng.choice(units)},"
                        + ",".join(str(rng.randint(0, 99)) for _ in metrics) + "\n")
        for a in range(rng.randint(1, 3)):
            with open(os.path.join(d, "articles", f"c{c}a{a}.md"), "w") as f:
                f.write(f"---\ntitle: 文章{c}-{a}\ndate: 2019-06-0{a + 1}\ntags: [走访, 平安建设]\n---\n"
                        f"共走访{{{{ stat(metric=\"{metrics[0]}\") }}}}。\n\n"
                        f"{{{{ chart(kind=\"bar\", metric=\"{metrics[0]}\", by=\"unit\") }}}}\n")
    os.makedirs(os.path.join(dest, "content", "issues"))
    with open(os.path.join(dest, "content", "issues", "1.yaml"), "w") as f:
        f.write("number: 1\ndate: 2019-07-01\ntitle: 专刊\ncopies: 10\n"
                "pages:\n  - { page: A01, name: 要闻, articles: [c0a0] }\n")


def sample_site(dest):
    shutil.copy(os.path.join(REPO, "site.yaml"), dest)
    shutil.copytree(os.path.join(REPO, "content"), os.path.join(dest, "content"))


def mutate_text(text, rng):
    """One damage to a text: a hostile snippet put in, a line dropped, doubled or cut, bytes
    flipped, or the whole replaced by a YAML bomb."""
    lines = text.split("\n")
    op = rng.randrange(9)
    i = rng.randrange(len(lines)) if lines else 0
    if op <= 2 and lines:
        line = lines[i]
        if ":" in line and rng.random() < 0.7:
            k = line.index(":")
            lines[i] = line[: k + 1] + " " + rng.choice(HOSTILE)
        else:
            at = rng.randint(0, len(line))
            lines[i] = line[:at] + rng.choice(HOSTILE) + line[at:]
    elif op == 3 and lines:
        del lines[i]
    elif op == 4 and lines:
        lines.insert(i, lines[i])
    elif op == 5:
        return text[: rng.randint(0, len(text))]
    elif op == 6:
        b = bytearray(text.encode("utf-8", "surrogatepass"))
        for _ in range(rng.randint(1, 8)):
            if b:
                b[rng.randrange(len(b))] = rng.randrange(256)
        return b.decode("utf-8", "replace")
    elif op == 7:
        return BILLION_LAUGHS if rng.random() < 0.5 else "a: " + "[" * 100000 + "]" * 100000
    else:
        lines.insert(i, "  " * rng.randint(0, 3) + rng.choice(HOSTILE))
    return "\n".join(lines)


def mutate_site(root, rng):
    files = [os.path.join(d, n) for d, _, ns in os.walk(root) for n in ns if n.endswith(TEXT_EXT)]
    for _ in range(rng.randint(1, 3)):
        p = rng.choice(files)
        with open(p, encoding="utf-8", errors="replace") as f:
            text = f.read()
        with open(p, "w", encoding="utf-8", errors="surrogatepass") as f:
            f.write(mutate_text(text, rng))
    if rng.random() < 0.05:
        target = rng.choice(files)
        link = os.path.join(os.path.dirname(target), "link.md")
        if not os.path.exists(link):
            os.symlink("/etc/passwd", link)


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def run_case(binary, site, args):
    """Runs one command; gives (kind, exit code, stderr, seconds, peak RSS in bytes)."""
    t = time.monotonic()
    proc = subprocess.Popen([binary, *args], cwd=site, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, preexec_fn=limit_memory, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        return "hang", proc.returncode, err.decode("utf-8", "replace"), time.monotonic() - t, 0
    err = err.decode("utf-8", "replace")
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    code = proc.returncode
    if "memory allocation" in err or "out of memory" in err.lower():
        kind = "memory"
    elif "panicked" in err or code == 101:
        kind = "panic"
    elif code < 0:
        kind = "signal"
    elif code not in (0, 1):
        kind = "odd-exit"
    else:
        kind = "ok"
    return kind, code, err, time.monotonic() - t, rss


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "debug", "jianbao"))
    ap.add_argument("--cases", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", default=os.path.join(REPO, "fuzz", "failures"))
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    rng = random.Random(a.seed)
    counts = {}
    slowest = 0.0
    started = time.monotonic()
    for case in range(a.cases):
        with tempfile.TemporaryDirectory(prefix="jianbao-fuzz-") as tmp:
            site = os.path.join(tmp, "site")
            os.makedirs(site)
            if case % 3 == 0:
                sample_site(site)
            else:
                generated_site(site, rng)
            mutate_site(site, rng)
            args = ["check"] if rng.random() < 0.5 else ["build", "-o", os.path.join(tmp, "out")]
            kind, code, err, secs, _ = run_case(binary, site, args)
            slowest = max(slowest, secs)
            counts[kind] = counts.get(kind, 0) + 1
            if kind != "ok":
                dest = os.path.join(a.keep, f"case-{a.seed}-{case}")
                shutil.rmtree(dest, ignore_errors=True)
                shutil.copytree(site, dest, symlinks=True)
                with open(os.path.join(dest, "FAILURE.txt"), "w") as f:
                    f.write(f"{kind} exit={code} {secs:.1f}s: jianbao {' '.join(args)}\n\n{err[-4000:]}")
                print(f"case {case}: {kind} (exit {code}, {secs:.1f} s) kept in {dest}", file=sys.stderr)
        if (case + 1) % 100 == 0:
            print(f"{case + 1} cases, {counts}", file=sys.stderr)
    total = time.monotonic() - started
    print(f"{a.cases} cases in {total:.0f} s; slowest {slowest:.1f} s; {counts}")
    bad = sum(n for k, n in counts.items() if k != "ok")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
