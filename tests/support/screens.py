"""What the screen tests measure in a page (JavaScript run by Playwright), shared by tests/e2e/test_screens.py.

Each check returns a list of problems, each naming the element (tag, class, a few words of its
text), so that a failure says where to look.
"""

from __future__ import annotations

#: A short name of an element for a problem's message.
_NAME = """
const name = (e) => {
  const cls = typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\\s+/).join('.') : '';
  const text = (e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  return `${e.tagName.toLowerCase()}${cls} "${text}"`;
};
const shown = (e) => {
  const s = getComputedStyle(e);
  return s.display !== 'none' && s.visibility !== 'hidden' && e.getClientRects().length > 0;
};
"""

#: (a) No element wider than its container (it sticks out of its parent's box, or the page scrolls
#: sideways) unless an ancestor scrolls horizontally (overflow-x auto/scroll). SVG content is the
#: chart's own (checked by CHART_TEXT).
OVERFLOW = (
    "() => {"
    + _NAME
    + """
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth + 1)
    problems.push(`the page scrolls sideways: ${root.scrollWidth} px in ${window.innerWidth} px`);
  const scrolls = (e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
  for (const e of document.body.querySelectorAll('*')) {
    if (e.closest('svg') && e.tagName.toLowerCase() !== 'svg') continue;
    if (!shown(e)) continue;
    const p = e.parentElement;
    if (!p || p === document.documentElement) continue;
    const r = e.getBoundingClientRect(), q = p.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right <= q.right + 1 && r.left >= q.left - 1) continue;
    let a = p, ok = false;
    while (a && a !== document.body) { if (scrolls(a)) { ok = true; break; } a = a.parentElement; }
    if (!ok) problems.push(`${name(e)} is ${Math.round(r.width)} px wide, ${Math.round(Math.max(r.right - q.right, q.left - r.left))} px outside ${name(p)}`);
  }
  return problems;
}"""
)

#: (b) No text clipped by its box: an element that hides its overflow (hidden/clip) or ends its
#: text with an ellipsis, whose content is larger than its box.
CLIPPED = (
    "() => {"
    + _NAME
    + """
  const problems = [];
  for (const e of document.body.querySelectorAll('*')) {
    if (e.closest('svg') || !shown(e) || !(e.textContent || '').trim()) continue;
    const s = getComputedStyle(e);
    const hides = (v) => v === 'hidden' || v === 'clip';
    const x = (hides(s.overflowX) || s.textOverflow === 'ellipsis') && e.scrollWidth > e.clientWidth + 1;
    const y = hides(s.overflowY) && e.scrollHeight > e.clientHeight + 1;
    if (x || y) problems.push(`${name(e)} clips its text: ${e.scrollWidth}x${e.scrollHeight} in ${e.clientWidth}x${e.clientHeight}`);
  }
  return problems;
}"""
)

#: (c) Chart labels: every SVG text of a chart is at least ``min`` CSS px (its font size in the SVG's
#: units times the SVG's scale on screen) and lies inside its SVG's box (not cut at the edge); every
#: PNG chart says its smallest font (``data-min-font-px`` at natural size), scaled by its shown width.
#: Returns {problems, sizes: the smallest label of each chart in CSS px, charts: how many}.
CHART_TEXT = (
    "(min) => {"
    + _NAME
    + """
  const problems = [], sizes = [];
  const svgs = [...document.querySelectorAll('main .smmkit-chart svg')].filter(shown);
  for (const svg of svgs) {
    const box = svg.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    let smallest = Infinity;
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      smallest = Math.min(smallest, px);
      if (px < min) problems.push(`"${t.textContent}" is ${px.toFixed(1)} px in "${svg.parentElement.getAttribute('aria-label')}"`);
      const r = t.getBoundingClientRect();
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        problems.push(`"${t.textContent}" is cut at the edge of its chart "${svg.parentElement.getAttribute('aria-label')}"`);
    }
    sizes.push(smallest);
  }
  const imgs = [...document.querySelectorAll('main .jp-RenderedImage img')].filter(shown);
  for (const img of imgs) {
    const font = parseFloat(img.dataset.minFontPx);
    if (!font) { problems.push(`a PNG chart without data-min-font-px: ${img.alt}`); continue; }
    const px = font * img.getBoundingClientRect().width / img.naturalWidth;
    sizes.push(px);
    if (px < min) problems.push(`PNG chart "${img.alt}": smallest label ${px.toFixed(1)} px`);
  }
  return {problems, sizes, charts: svgs.length + imgs.length};
}"""
)

#: (d) Every link of ``selector`` is visible: inside the window's width (and, with ``fold``, above the
#: fold of the first screen), not scrolled out of a box that hides it, not covered by another element.
NAV_VISIBLE = (
    "([selector, fold]) => {"
    + _NAME
    + """
  const problems = [];
  const links = [...document.querySelectorAll(selector)];
  if (!links.length) problems.push(`no link matches ${selector}`);
  for (const a of links) {
    const r = a.getBoundingClientRect();
    if (!shown(a) || r.width < 1 || r.height < 1) { problems.push(`${name(a)} is not shown`); continue; }
    if (!fold) a.scrollIntoView({block: 'center'});
    const v = a.getBoundingClientRect();
    if (v.left < 0 || v.right > window.innerWidth + 0.5 || (fold && (v.top < 0 || v.bottom > window.innerHeight))) {
      problems.push(`${name(a)} is outside the window (${Math.round(r.left)}..${Math.round(r.right)} px)`); continue;
    }
    let p = a.parentElement;
    while (p) {
      const q = p.getBoundingClientRect(), s = getComputedStyle(p);
      if (s.overflowX !== 'visible' && (v.left < q.left - 0.5 || v.right > q.right + 0.5))
        problems.push(`${name(a)} is scrolled out of ${name(p)}`);
      p = p.parentElement;
    }
    const hit = document.elementFromPoint(v.left + v.width / 2, v.top + v.height / 2);
    if (!hit || !(hit === a || a.contains(hit))) problems.push(`${name(a)} is covered by ${hit ? name(hit) : 'nothing'}`);
  }
  return problems;
}"""
)
