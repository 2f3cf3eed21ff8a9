#!/usr/bin/env python3
"""The structure check CI runs (issue #12): which file may include which, no include cycle
between modules, no hub header, no file over 700 lines, no function over 120 lines, and a
purpose comment at the top of every file.

    python3 tests/structure/check.py [ROOT]     (ROOT: the repository this script sits in)

Prints one line per violation, `path:line: rule: message`, then a one-line summary, and exits
1 if there was any violation (2 on a usage error), 0 otherwise. Python 3 standard library
only. The tables below are the rules: edit them when the tree grows a folder.
"""

import os
import re
import sys
import time

# ---- the rules as tables ---------------------------------------------------------------------

# The C sources every rule covers; tests/ and bench/ are read for the include rules only.
SOURCE_DIRS = ("model", "render", "app")
INCLUDE_ONLY_DIRS = ("tests", "bench")
TREE_TOPS = SOURCE_DIRS + INCLUDE_ONLY_DIRS

# Top level: the top folders a file may include, by where it sits (longest prefix wins).
TOP_ALLOWED = {
    "model/": ("model",),
    "render/": ("model", "render"),
    "app/": ("model", "render", "app"),
    "tests/model/": ("model", "tests"),   # tests mirror the tree: a model test needs no SDL
    "tests/fuzz/": ("model", "tests"),
    "tests/": ("model", "render", "app", "tests"),
    "bench/": ("model", "render", "app", "bench"),
}

# model/'s folders, each with the folders it may include besides itself. A new folder is a
# violation until it is listed here; the table itself must stay a DAG (checked).
MODEL_FOLDERS = {
    "base": (),
    "text": ("base",),
    "vectors": ("base", "text"),
    "train": ("base", "text", "vectors"),
    "files": ("base", "text", "vectors", "train"),
    "layout": ("base", "text", "vectors"),
    "gpt": ("base", "text"),
    "analysis": ("base", "text", "vectors", "train", "layout", "gpt"),
    "session": ("base", "text", "vectors", "train", "files", "layout", "gpt", "analysis"),
}

# app/ outside app/gui/: (files by path prefix, what they may include besides their own module).
# An entry ending in "/" is a folder, any other a file or file prefix. First match wins.
APP_PLACES = (
    ("app/args.", ("model/",)),
    ("app/ui/", ("app/ui/", "model/base/", "render/draw.h")),   # the UI library: no SDL
    ("app/desk/", ("app/desk/", "model/")),   # settings file, folders, completion: no SDL
    ("app/cli/", ("app/cli/", "model/", "app/args.h")),
    ("app/main.c", ("model/", "render/", "app/")),
)

# app/gui/: layers come from app/gui/LAYERS; any layer may also include these.
GUI_DIR = "app/gui/"
GUI_LAYERS_FILE = "app/gui/LAYERS"
GUI_COMMON = ("model/", "render/", "app/ui/", "app/desk/", "app/args.h")

# Where `#include <SDL...>` may not appear (path prefixes).
NO_SDL = ("model/", "app/ui/", "app/desk/", "app/cli/", "app/args.")

# Headers the build generates (not in the tree) that an include may name.
GENERATED = ()

MAX_FILE_LINES = 700
# A function's length: the line of its closing brace minus the line of its opening brace (at
# least 1), so a body written `{` / 120 lines / `}` is 121: the measure issue #12 quotes
# (run_line 306, cmd_train 156).
MAX_FUNCTION_LINES = 120

C_KEYWORDS = {
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
    "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
    "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
    "union", "unsigned", "void", "volatile", "while", "_Alignas", "_Alignof", "_Atomic", "_Bool",
    "_Complex", "_Generic", "_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local",
    "static_assert", "defined",
}

# ---- reading C: comments and strings out, preprocessor lines apart ----------------------------

LEXEME = re.compile(
    r"//(?:\\\n|[^\n])*"            # line comment (continued by a backslash-newline)
    r"|/\*.*?\*/"                   # block comment
    r'|"(?:\\.|[^"\\\n])*"'         # string literal
    r"|'(?:\\.|[^'\\\n])*'"         # character constant
    r"|[^/\"']+|.",
    re.S,
)
INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]*)[>"]', re.M)
ATTRIBUTE = re.compile(r"\b(?:__attribute__|__attribute|__declspec|_Alignas|alignas|__asm__|__asm)\s*\(")
IDENT_END = re.compile(r"([A-Za-z_]\w*)\s*$")
PREFIX_OK = re.compile(r"^[\w\s*]*$")   # what may precede a function's name: type words and *


def blank(s):
    """s with everything but newlines turned to spaces (so offsets and lines survive)."""
    return re.sub(r"[^\n]", " ", s)


def strip_comments(text):
    """Returns (code, nocomment): both the length of text with the same newlines. nocomment has
    comments blanked; code also has string and character contents blanked, preprocessor lines
    blanked and `#if 0` regions blanked."""
    code, noc = [], []
    for m in LEXEME.finditer(text):
        s = m.group()
        if s.startswith("//") or (s.startswith("/*") and len(s) >= 4 and s.endswith("*/")):
            b = blank(s)
            code.append(b)
            noc.append(b)
        elif len(s) >= 2 and s[0] in "\"'" and s[-1] == s[0]:
            code.append(s[0] + blank(s[1:-1]) + s[-1])
            noc.append(s)
        else:
            code.append(s)
            noc.append(s)
    return blank_preprocessor("".join(code)), "".join(noc)


def blank_preprocessor(code):
    lines = code.split("\n")
    out = []
    skipping = 0           # depth inside an `#if 0` region (0: not skipping)
    continued = False
    for line in lines:
        directive = continued or line.lstrip().startswith("#")
        continued = directive and line.endswith("\\")
        if directive:
            d = re.match(r"\s*#\s*(\w*)\s*(\S*)", line)
            word, arg = (d.group(1), d.group(2)) if d else ("", "")
            if skipping:
                if word in ("if", "ifdef", "ifndef"):
                    skipping += 1
                elif word == "endif" or (skipping == 1 and word in ("else", "elif")):
                    skipping -= 1
            elif word == "if" and arg == "0":
                skipping = 1
            out.append(blank(line))
        else:
            out.append(blank(line) if skipping else line)
    return "\n".join(out)


def blank_attributes(s):
    """Blanks `__attribute__((...))` and the like (balanced parentheses), keeping offsets."""
    while True:
        m = ATTRIBUTE.search(s)
        if not m:
            return s
        depth, i = 0, m.end() - 1
        while i < len(s):
            if s[i] == "(":
                depth += 1
            elif s[i] == ")":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        s = s[: m.start()] + blank(s[m.start(): i + 1]) + s[i + 1:]


def paren_groups(s):
    """(start, end) of each top-level (...) in s, end exclusive."""
    groups, depth, start = [], 0, 0
    for i, ch in enumerate(s):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                groups.append((start, i + 1))
    return groups


def function_name(head, definition):
    """The name (and its offset in head) of the function a file-scope statement declares or
    whose body follows, or None. head has comments, strings and attributes blanked. A
    declaration names itself before its first parameter list, a definition before its last;
    `int (*fp)(int)` is a pointer, not a function; `T (*f(int))(int)` is the function f."""
    groups = paren_groups(head)
    if not groups:
        return None
    if definition:
        start, end = groups[-1]
        if head[end:].strip():
            return None
        nested = head[:start].rstrip().endswith(")")
        declarator = groups[-2] if nested and len(groups) >= 2 else None
    else:
        start, end = groups[0]
        nested = head[start + 1: end - 1].lstrip().startswith("*")
        declarator = groups[0] if nested else None
    if nested:
        # a parenthesised declarator: `(*f(int))` names f, `(*fp)` a pointer variable
        if declarator is None:
            return None
        gs, ge = declarator
        inner = head[gs + 1: ge - 1]
        prefix = head[:gs]
        if not inner.lstrip().startswith("*") or not prefix.strip() or not PREFIX_OK.match(prefix):
            return None
        return function_name(" " * (gs + 1) + inner, False)
    before = head[:start]
    m = IDENT_END.search(before)
    if not m or m.group(1) in C_KEYWORDS:
        return None
    prefix = before[: m.start()]
    if not prefix.strip() or not PREFIX_OK.match(prefix):
        return None            # a macro call, or `x[N(3)]`: not a function
    return m.group(1), m.start(1)


def has_word(s, word):
    return re.search(r"\b%s\b" % word, s) is not None


def line_of(offset, starts):
    """1-based line of offset; starts: sorted offsets of line starts."""
    lo, hi = 0, len(starts)
    while lo + 1 < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid
    return lo + 1


class Source:
    """One C file: its includes, the functions it defines, the functions it declares."""

    def __init__(self, root, path):
        self.path = path
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            self.text = f.read()
        self.lines = self.text.count("\n") + (0 if self.text.endswith("\n") or not self.text else 1)
        code, noc = strip_comments(self.text)
        self.includes = [(noc.count("\n", 0, m.start()) + 1, m.group(1), m.group(2).strip())
                         for m in INCLUDE.finditer(noc)]
        self.functions = []     # (name or None, line of the name, is_static, length)
        self.declarations = []  # (name, line) of non-static prototypes
        self.unbalanced = False
        self.scan(code)

    def scan(self, code):
        starts = [0] + [m.end() for m in re.finditer(r"\n", code)]
        depth = 0
        kind = None          # of the open depth-0 brace: "function" or "aggregate" (a type, a table)
        externs = 0          # open `extern "C" {` blocks (their braces do not count)
        seg = 0              # where the current depth-0 text segment starts
        pieces = []          # the depth-0 text of the current statement so far
        open_at = 0
        fname = None
        for m in re.finditer(r"[{};]", code):
            ch, at = m.group(), m.start()
            if depth > 0:
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                    if depth == 0:
                        if kind == "function":
                            # a one-line body counts 1
                            length = max(1, line_of(at, starts) - line_of(open_at, starts))
                            self.functions.append(fname + (length,))
                            pieces = []
                        else:
                            pieces.append("{}")
                        seg = at + 1
                continue
            head = "".join(pieces) + code[seg:at]
            if ch == ";":
                self.statement(head, seg if not pieces else None, starts)
                pieces, seg = [], at + 1
            elif ch == "}":
                if externs:
                    externs -= 1
                else:
                    self.unbalanced = True
                pieces, seg = [], at + 1
            elif re.search(r'\bextern\s*"\s*"\s*$', head):
                externs += 1
                pieces, seg = [], at + 1
            else:
                depth, open_at = 1, at
                clean = blank_attributes(head)
                if not pieces and "=" not in clean and clean.rstrip().endswith(")"):
                    kind = "function"
                    found = function_name(clean, True)
                    name_at = seg + found[1] if found else seg + len(clean) - len(clean.lstrip())
                    fname = (found[0] if found else None, line_of(name_at, starts),
                             has_word(clean, "static"))
                else:
                    kind = "aggregate"
                    pieces.append(code[seg:at])
        if depth or externs:
            self.unbalanced = True

    def statement(self, head, offset, starts):
        """A file-scope statement that ended in `;`: a prototype, a variable or a type."""
        clean = blank_attributes(head)
        words = clean.split()
        if not words or words[0] == "typedef" or "{}" in clean or offset is None:
            return
        depth = 0
        for ch in clean:
            depth += (ch == "(") - (ch == ")")
            if ch == "=" and depth == 0:
                return
        found = function_name(clean, False)
        if found and not has_word(clean[: found[1]], "static"):
            self.declarations.append((found[0], line_of(offset + found[1], starts)))


# ---- the checks --------------------------------------------------------------------------------

class Report:
    def __init__(self):
        self.items = []

    def add(self, path, line, rule, message):
        self.items.append((path, line, rule, message))


def find_sources(root, tops):
    paths = []
    for top in tops:
        base = os.path.join(root, top)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.endswith((".c", ".h")):
                    full = os.path.join(dirpath, name)
                    paths.append(os.path.relpath(full, root).replace(os.sep, "/"))
    return paths


def module_of(path):
    return path.rsplit(".", 1)[0]


def longest_prefix(table, path):
    best = None
    for prefix in table:
        if path.startswith(prefix) and (best is None or len(prefix) > len(best)):
            best = prefix
    return best


def read_layers(root, report):
    """app/gui/LAYERS: {folder: (index, label)}; None when the file is missing."""
    full = os.path.join(root, GUI_LAYERS_FILE)
    if not os.path.isfile(full):
        return None
    layers = {}
    index = 0
    with open(full, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            names = [w.rstrip("/") for w in line.split("#", 1)[0].split()]
            if not names:
                continue
            index += 1
            for name in names:
                if name in layers:
                    report.add(GUI_LAYERS_FILE, n, "layers",
                               "folder '%s' is listed twice (first on layer %d)" % (name, layers[name][0]))
                else:
                    layers[name] = (index, " ".join(names))
    return layers


def check_model_table(report):
    """MODEL_FOLDERS must point one way: a cycle in the table would make its rule meaningless."""
    me = "tests/structure/check.py"
    with open(os.path.abspath(__file__), encoding="utf-8") as f:
        where = next((n for n, line in enumerate(f, 1) if line.startswith("MODEL_FOLDERS =")), 1)
    state, cycles = {}, set()

    def visit(folder, trail):
        if state.get(folder) == 1:
            loop = trail[trail.index(folder):]
            i = loop.index(min(loop))
            loop = loop[i:] + loop[:i]
            if tuple(loop) not in cycles:
                cycles.add(tuple(loop))
                report.add(me, where, "folder-table",
                           "MODEL_FOLDERS has a cycle: " + " -> ".join(loop + [loop[0]]))
            return
        if state.get(folder) == 2:
            return
        state[folder] = 1
        for dep in MODEL_FOLDERS.get(folder, ()):
            if dep not in MODEL_FOLDERS:
                report.add(me, where, "folder-table", "MODEL_FOLDERS: %s names unknown folder %s" % (folder, dep))
            else:
                visit(dep, trail + [folder])
        state[folder] = 2

    for folder in sorted(MODEL_FOLDERS):
        visit(folder, [])


def gui_place(path, layers):
    """(folder or None for the top, layer index or None when unlisted) of a file in app/gui/."""
    rel = path[len(GUI_DIR):]
    if "/" not in rel:
        return None, float("inf")
    folder = rel.split("/", 1)[0]
    if layers is None or folder not in layers:
        return folder, None
    return folder, layers[folder][0]


def direction(path, target, layers):
    """Why path may not include target (both from the top of the tree), or None."""
    if module_of(path) == module_of(target):
        return None
    top = target.split("/", 1)[0]
    allowed = TOP_ALLOWED.get(longest_prefix(TOP_ALLOWED, path), ())
    if top not in allowed:
        where = longest_prefix(TOP_ALLOWED, path) or path
        return "%s may not include %s/ (%s); allowed: %s" % (
            where, top, target, ", ".join(a + "/" for a in allowed))
    if path.startswith("model/") and target.startswith("model/"):
        src, dst = model_folder(path), model_folder(target)
        if src not in MODEL_FOLDERS:
            return None        # reported once for the file (unlisted-folder)
        if dst == src:
            return None
        if dst not in MODEL_FOLDERS:
            return "includes %s, whose folder model/%s/ is not listed in MODEL_FOLDERS" % (target, dst)
        if dst not in MODEL_FOLDERS[src]:
            return "model/%s/ may not include model/%s/ (%s); allowed: %s" % (
                src, dst, target, " ".join(MODEL_FOLDERS[src]) or "nothing outside itself")
        return None
    if path.startswith(GUI_DIR):
        return gui_direction(path, target, layers)
    if path.startswith("app/"):
        for prefix, may in APP_PLACES:
            if path.startswith(prefix):
                if any(target.startswith(p) for p in may):
                    return None
                return "%s may include only %s (not %s)" % (prefix, ", ".join(may), target)
        return None            # reported once for the file (unlisted-folder)
    return None


def gui_direction(path, target, layers):
    if any(target.startswith(p) for p in GUI_COMMON):
        return None
    if not target.startswith(GUI_DIR):
        return "app/gui/ may include only app/gui/, %s (not %s)" % (", ".join(GUI_COMMON), target)
    folder, layer = gui_place(path, layers)
    tfolder, tlayer = gui_place(target, layers)
    if folder is None or tfolder == folder or layer is None:
        return None            # the top may include any layer; unlisted files are reported once
    if tfolder is None:
        return "upward include: app/gui/%s/ (layer %d) includes %s, a file of the top layer" % (
            folder, layer, target)
    if tlayer is None:
        return "includes %s, whose folder app/gui/%s/ is not in %s" % (target, tfolder, GUI_LAYERS_FILE)
    if tlayer > layer:
        return "upward include: app/gui/%s/ (layer %d: %s) includes %s (layer %d: %s)" % (
            folder, layer, layers[folder][1], target, tlayer, layers[tfolder][1])
    return None


def model_folder(path):
    parts = path.split("/")
    return parts[1] if len(parts) > 2 else ""


def check_includes(root, src, layers, report):
    sdl_banned = src.path.startswith(NO_SDL)
    here = os.path.dirname(src.path)
    for line, quote, target in src.includes:
        if re.match(r"(SDL2/)?SDL", target) and sdl_banned:
            report.add(src.path, line, "no-sdl", "%s must not include SDL (%s)" % (
                longest_prefix({p: 0 for p in NO_SDL}, src.path), target))
            continue
        ours = target.split("/", 1)[0] in TREE_TOPS and "/" in target
        if quote == "<" and not ours:
            continue
        norm = os.path.normpath(target).replace(os.sep, "/")
        exists = os.path.isfile(os.path.join(root, target)) or target in GENERATED
        if not ours or norm != target or not exists:
            beside = os.path.normpath(os.path.join(here, target)).replace(os.sep, "/")
            if os.path.isfile(os.path.join(root, beside)) and beside.split("/", 1)[0] in TREE_TOPS:
                why = 'is relative; write "%s"' % beside
            elif ours and norm == target:
                why = "names a file that is not in the tree"
            else:
                why = "is not a path from the top of the tree (model/..., render/..., app/...)"
            report.add(src.path, line, "include-path", '"%s" %s' % (target, why))
            continue
        why = direction(src.path, target, layers)
        if why:
            report.add(src.path, line, "include-direction", why)


def check_place(path, layers, report):
    """A file in a folder the tables do not know is a violation until the folder is listed."""
    if path.startswith("model/"):
        folder = model_folder(path)
        if folder not in MODEL_FOLDERS:
            what = "model/%s/" % folder if folder else "a file directly in model/"
            report.add(path, 1, "unlisted-folder",
                       "%s is not listed in MODEL_FOLDERS (tests/structure/check.py)" % what)
    elif path.startswith(GUI_DIR):
        folder, layer = gui_place(path, layers)
        if folder is not None and layer is None:
            report.add(path, 1, "unlisted-folder", "app/gui/%s/ is not a layer in %s%s" % (
                folder, GUI_LAYERS_FILE, "" if layers is not None else " (the file is missing)"))
    elif path.startswith("app/"):
        if not any(path.startswith(p) for p, _ in APP_PLACES):
            report.add(path, 1, "unlisted-folder",
                       "%s is not a known place in app/ (APP_PLACES in tests/structure/check.py)" % path)


def check_cycles(sources, report):
    """Module graph (a module: a .c/.h pair by path without extension) from both files'
    includes; every cycle once, as the shortest cycle through some module."""
    where = {}             # (from module, to module) -> (path, line) of the first include
    graph = {}
    modules = {module_of(s.path) for s in sources}
    for s in sorted(sources, key=lambda s: s.path):
        a = module_of(s.path)
        graph.setdefault(a, set())
        for line, _, target in s.includes:
            b = module_of(target)
            if b != a and b in modules and target.endswith((".h", ".c")):
                graph[a].add(b)
                where.setdefault((a, b), (s.path, line))
    seen = set()
    for comp in strongly_connected(graph):
        if len(comp) < 2:
            continue
        members = set(comp)
        for start in sorted(comp):
            cycle = shortest_cycle(graph, start, members)
            if not cycle:
                continue
            i = cycle.index(min(cycle))
            canon = tuple(cycle[i:] + cycle[:i])
            if canon in seen:
                continue
            seen.add(canon)
            path, line = where[(canon[0], canon[1 % len(canon)])]
            report.add(path, line, "cycle", " -> ".join(canon + (canon[0],)))


def strongly_connected(graph):
    """Tarjan's algorithm, iterative (deep include chains must not hit the recursion limit)."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                    advanced = True
                    break
                if nxt in on:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                out.append(comp)
    return out


def shortest_cycle(graph, start, members):
    """The shortest path start -> ... -> start inside members (breadth first), as a list."""
    prev = {start: None}
    queue = [start]
    for node in queue:
        for nxt in sorted(graph.get(node, ())):
            if nxt not in members:
                continue
            if nxt == start:
                path = [node]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return path[::-1]
            if nxt not in prev:
                prev[nxt] = node
                queue.append(nxt)
    return None


def check_hubs(sources, report):
    """A header declares only functions its own .c defines: X.h's prototypes live in X.c."""
    defined = {}           # name -> [(path, is_static)]
    for s in sources:
        for name, _, is_static, _ in s.functions:
            if name:
                defined.setdefault(name, []).append((s.path, is_static))
    for s in sources:
        if not s.path.endswith(".h"):
            continue
        own = module_of(s.path) + ".c"
        done = set()
        for name, line in s.declarations:
            if name in done:
                continue
            done.add(name)
            defs = defined.get(name, [])
            public = [p for p, st in defs if not st]
            if own in public or s.path in public:
                continue
            if public:
                report.add(s.path, line, "hub-header", "declares %s, which is defined in %s, not %s"
                           % (name, ", ".join(sorted(set(public))), own))
            elif defs:
                report.add(s.path, line, "hub-header", "declares %s, which is only static (in %s)"
                           % (name, ", ".join(sorted({p for p, _ in defs}))))
            else:
                report.add(s.path, line, "hub-header",
                           "declares %s, which is defined nowhere in the tree" % name)


def check_sizes(src, report):
    if src.lines > MAX_FILE_LINES:
        report.add(src.path, MAX_FILE_LINES + 1, "file-size",
                   "%d lines (limit %d)" % (src.lines, MAX_FILE_LINES))
    for name, line, _, length in src.functions:
        if length > MAX_FUNCTION_LINES:
            report.add(src.path, line, "function-size", "%s is %d lines (limit %d)" % (
                name or "a function", length, MAX_FUNCTION_LINES))
    if src.unbalanced:
        report.add(src.path, 1, "parse",
                   "braces do not balance once comments, strings and #if 0 are out; "
                   "function lengths and declarations of this file may be wrong")


def check_top_comment(src, report):
    body = src.text.lstrip()
    if not (body.startswith("/*") or body.startswith("//")):
        line = src.text[: len(src.text) - len(body)].count("\n") + 1
        report.add(src.path, line, "top-comment",
                   "the file does not open with a comment saying what it is for and which thread may call it")


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1] in ("-h", "--help")):
        sys.stderr.write("usage: python3 tests/structure/check.py [ROOT]\n")
        return 2
    t0 = time.monotonic()
    here = os.path.dirname(os.path.abspath(__file__))
    root = argv[1] if len(argv) == 2 else os.path.dirname(os.path.dirname(here))
    if not os.path.isdir(os.path.join(root, "model")):
        sys.stderr.write("check.py: %s has no model/ folder: not an embedscope tree\n" % root)
        return 2
    report = Report()
    check_model_table(report)
    layers = read_layers(root, report)
    sources = [Source(root, p) for p in find_sources(root, SOURCE_DIRS)]
    extras = [Source(root, p) for p in find_sources(root, INCLUDE_ONLY_DIRS)]
    for src in sources:
        check_place(src.path, layers, report)
        check_includes(root, src, layers, report)
        check_sizes(src, report)
        check_top_comment(src, report)
    for src in extras:
        check_includes(root, src, layers, report)
    check_cycles(sources, report)
    check_hubs(sources, report)

    for path, line, rule, message in sorted(report.items):
        print("%s:%d: %s: %s" % (path, line, rule, message))
    print(summary(sources, extras, report, time.monotonic() - t0))
    return 1 if report.items else 0


def summary(sources, extras, report, seconds):
    functions = sorted((f[3], s.path, f[1], f[0] or "?") for s in sources for f in s.functions)
    modules = len({module_of(s.path) for s in sources})
    parts = ["structure: %d violation%s" % (len(report.items), "" if len(report.items) == 1 else "s"),
             "%d files (+%d in tests/, bench/ for includes)" % (len(sources), len(extras)),
             "%d modules" % modules]
    if sources:
        big = max(sources, key=lambda s: (s.lines, s.path))
        parts.append("longest file %s (%d lines)" % (big.path, big.lines))
    if functions:
        length, path, line, name = max(functions, key=lambda f: (f[0], f[1]))
        lengths = [f[0] for f in functions]
        mid = len(lengths) // 2
        median = lengths[mid] if len(lengths) % 2 else (lengths[mid - 1] + lengths[mid]) / 2
        parts.append("longest function %s at %s:%d (%d lines)" % (name, path, line, length))
        parts.append("median function %g lines over %d" % (median, len(lengths)))
    parts.append("%.2f s" % seconds)
    return "; ".join(parts)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
