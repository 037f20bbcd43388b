"""Rebuild the crop reference set: real pages rendered by Chromium, charts of real data, real screenshots.

Not run by the tests (they read the committed images and ``questions.jsonl``). Needs Chromium, the Rust
documentation (Debian ``rust-doc`` or a rustup toolchain's ``share/doc/rust/html``), and for the charts
``matplotlib``, ``vega_datasets`` and ``scikit-learn``::

    python tests/data/crop_ref/build.py \
        --rust-doc ~/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/share/doc/rust/html

Region boxes of rendered pages come from the browser's layout (``getBoundingClientRect`` of the element a
question is about: a table, a code block, a section from its heading to the next one); chart regions from
matplotlib's artist extents (legend, axis with its labels, title, one panel). Boxes on the shipped real
screenshots and the photo were drawn by hand (``HAND`` below). Every box was checked by rendering the crop.
Questions that need more than one region are not included: a box is "the region that holds the answer".
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# Helpers injected into rendered pages: element lookup by text, a heading's section, the union of boxes
# clipped to the viewport.
_JS = """
(function(){
function el(sel, i){ return document.querySelectorAll(sel)[i||0]; }
function withText(sel, s){ return Array.from(document.querySelectorAll(sel)).find(e => e.textContent.includes(s)); }
function level(e){ const m = /^H(\\d)$/.exec(e.tagName); return m ? +m[1] : 99; }
function section(h){ const out=[h]; let n=h.nextElementSibling; const L=level(h);
  while(n && level(n)>L){ out.push(n); n=n.nextElementSibling; } return out; }
function rect(x){ const els = Array.isArray(x) ? x : [x]; let r=null;
  for (const e of els){ if(!e) continue; const b=e.getBoundingClientRect();
    if(b.width==0||b.height==0) continue;
    r = r ? [Math.min(r[0],b.left),Math.min(r[1],b.top),Math.max(r[2],b.right),Math.max(r[3],b.bottom)]
          : [b.left,b.top,b.right,b.bottom]; }
  if(!r) return null; const W=window.innerWidth, H=window.innerHeight;
  return [Math.max(0,Math.floor(r[0])),Math.max(0,Math.floor(r[1])),
          Math.min(W,Math.ceil(r[2])),Math.min(H,Math.ceil(r[3]))]; }
window.__crop = {el, withText, section, rect};
})();
"""

# (image name, page under the Rust docs, window size, [(question, kind, JS expression of the region)]).
# Licence of the Rust documentation: MIT OR Apache-2.0.
PAGES: list[tuple[str, str, tuple[int, int], list[tuple[str, str, str]]]] = [
    ("book_data_types", "book/ch03-02-data-types.html", (1280, 1600), [
        ("What are the signed and unsigned types for 128-bit integers?", "table",
         'c.withText("table","128-bit")'),
        ("What error does the compiler print when the type annotation is missing?", "code",
         'c.withText("pre","cargo build")'),
        ("Which chapters are listed under Common Programming Concepts?", "nav",
         'c.withText("li.chapter-item","Common Programming Concepts")'),
        ("What is the first code example on the page?", "code", 'c.el("pre")'),
    ]),
    ("std_vec", "std/vec/struct.Vec.html", (1440, 900), [
        ("Which methods are listed for Vec?", "nav",
         '[c.withText("h3","Methods"), c.withText("h3","Methods").nextElementSibling]'),
        ("What does the example code in the Examples section do?", "code",
         'c.withText("pre","Vec::new()")'),
        ("What is the full declaration of the Vec struct?", "code", 'c.el("pre.item-decl")'),
        ("Which version of the standard library are these docs for?", "header", 'c.el(".sidebar-crate")'),
    ]),
    ("rustc_platform_support", "rustc/platform-support.html", (1280, 1100), [
        ("Which targets are tier 1 with host tools?", "table", 'c.el("table")'),
        ("What are the notes for i686-pc-windows-msvc?", "row", 'c.withText("tr","i686-pc-windows-msvc")'),
        ("How are targets identified, according to the introduction?", "text",
         'c.withText("p","target triple")'),
        ("Summarize the section Tier 1 with Host Tools", "section",
         'c.section(c.withText("h2","Tier 1 with Host Tools"))'),
    ]),
    ("book_operators", "book/appendix-02-operators.html", (1280, 1000), [
        ("What is Table B-1 about?", "table", 'c.el("table")'),
        ("Which trait overloads the % operator?", "row", 'c.withText("tr","Arithmetic remainder")'),
        ("What does the intro of the Operators section say?", "text", 'c.withText("p","Table B-1 contains")'),
    ]),
    ("std_hashmap", "std/collections/struct.HashMap.html", (1920, 1080), [
        ("Which hashing algorithm does HashMap use by default?", "text", 'c.withText("p","SipHash")'),
        ("What property must hold for keys that are equal?", "code", 'c.withText("pre","k1 == k2")'),
        ("What sections does the sidebar list?", "nav",
         '[c.withText("h3","Sections"), c.withText("h3","Sections").nextElementSibling]'),
    ]),
]

def _render(src: Path, out_png: Path, size: tuple[int, int], specs: dict[str, str]) -> dict[str, Any]:
    text = src.read_text(encoding="utf-8")
    base = f'<base href="{src.parent.as_uri()}/">'
    calls = "".join(f"try{{o[{json.dumps(k)}]=c.rect({v});}}catch(e){{o[{json.dumps(k)}]=null;}}"
                    for k, v in specs.items())
    script = ("<script>" + _JS + 'window.addEventListener("load",()=>setTimeout(()=>{const c=window.__crop;'
              "const o={};" + calls + 'const p=document.createElement("pre");p.id="__crop_boxes";'
              'p.style.display="none";p.textContent=JSON.stringify(o);document.body.appendChild(p);},800));</script>')
    text = re.sub(r"<head([^>]*)>", lambda m: f"<head{m.group(1)}>{base}", text, count=1)
    text = text.replace("</body>", script + "</body>", 1)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(text, encoding="utf-8")
        common = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                  "--allow-file-access-from-files", f"--window-size={size[0]},{size[1]}", "--virtual-time-budget=4000"]
        subprocess.run([*common, f"--screenshot={out_png}", page.as_uri()], check=True, capture_output=True,
                       timeout=120)
        dom = subprocess.run([*common, "--dump-dom", page.as_uri()], check=True, capture_output=True, timeout=120,
                             text=True).stdout
    m = re.search(r'<pre id="__crop_boxes"[^>]*>(.*?)</pre>', dom, re.S)
    if not m:
        raise RuntimeError(f"no boxes from {src}")
    return json.loads(html.unescape(m.group(1)))


def build_pages(rust_doc: Path, records: list[dict[str, Any]], sources: dict[str, str]) -> None:
    for name, rel, size, questions in PAGES:
        png = HERE / f"{name}.png"
        boxes = _render(rust_doc / rel, png, size, {str(i): js for i, (_, _, js) in enumerate(questions)})
        for i, (q, kind, _) in enumerate(questions):
            box = boxes[str(i)]
            if not box:
                raise RuntimeError(f"{name}: no element for {q!r}")
            records.append({"image": png.name, "question": q, "kind": kind, "box": box})
        sources[png.name] = (f"Rust documentation page `{rel}` (rust 1.95 docs, as in Debian rust-doc / rustup), "
                             f"rendered by headless Chromium at {size[0]}x{size[1]}. MIT OR Apache-2.0.")


def build_charts(records: list[dict[str, Any]], sources: dict[str, str]) -> None:
    import sys

    sys.path.insert(0, str(HERE))
    from charts import CHARTS  # sibling module; needs matplotlib


    for name, (make, source) in CHARTS.items():
        png = HERE / f"{name}.png"
        for q, kind, box in make(png):
            records.append({"image": png.name, "question": q, "kind": kind, "box": box})
        sources[png.name] = source


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rust-doc", type=Path, required=True)
    args = ap.parse_args()
    if shutil.which("chromium") is None:
        raise SystemExit("chromium not found")
    records: list[dict[str, Any]] = []
    sources: dict[str, str] = {}
    build_pages(args.rust_doc, records, sources)
    build_charts(records, sources)
    hand = json.loads((HERE / "hand.json").read_text(encoding="utf-8"))
    for item in hand["images"]:
        shutil.copyfile(args.rust_doc / item["from"], HERE / item["image"])
        sources[item["image"]] = item["source"]
        for q in item["questions"]:
            records.append({"image": item["image"], **q})
    with (HERE / "questions.jsonl").open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    (HERE / "SOURCES.json").write_text(json.dumps(sources, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
