// audit checks the page's structure for people who use a keyboard, a
// screen reader or a magnifier, and returns what is wrong, one sentence
// each. It checks landmarks, headings, names of details, charts, images,
// links, regions and tables, ids, and the contrast of every visible text.
(() => {
  const problems = [];
  const say = (s) => problems.push(s);
  const short = (s) => s.replace(/\s+/g, " ").trim().slice(0, 50);

  if (!document.documentElement.lang) say("html has no lang");
  if (!document.title.trim()) say("the page has no title");
  const count = (sel) => document.querySelectorAll(sel).length;
  if (count("main") !== 1) say(`want one main landmark, found ${count("main")}`);
  if (count("body > header") !== 1) say("want one banner (body > header)");
  document.querySelectorAll("nav").forEach((n) => {
    if (!n.getAttribute("aria-label") && !n.getAttribute("aria-labelledby")) say("nav without a name");
  });
  if (count("h1") !== 1) say(`want one h1, found ${count("h1")}`);

  let prev = 0;
  document.querySelectorAll("h1, h2, h3, h4, h5, h6").forEach((h) => {
    const level = Number(h.tagName[1]);
    if (!h.textContent.trim()) say(`empty ${h.tagName}`);
    if (prev === 0 && level !== 1) say(`first heading is ${h.tagName}, not h1`);
    if (prev && level > prev + 1) say(`${h.tagName} "${short(h.textContent)}" follows h${prev}: a level is skipped`);
    prev = level;
  });

  document.querySelectorAll("details").forEach((d, i) => {
    const s = d.firstElementChild;
    if (!s || s.tagName !== "SUMMARY" || !s.textContent.trim()) say(`details #${i + 1} has no summary first`);
  });

  const nameOf = (el) => {
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    return (el.getAttribute("aria-label") || ids.map((id) => (document.getElementById(id) || {}).textContent || "").join(" ")).trim();
  };
  document.querySelectorAll("svg").forEach((svg, i) => {
    if (svg.closest('[aria-hidden="true"]')) return;
    if (svg.getAttribute("role") !== "img") say(`svg #${i + 1} is neither aria-hidden nor role=img`);
    if (!svg.querySelector(":scope > title")) say(`svg #${i + 1} has no title`);
    if (!nameOf(svg)) say(`svg #${i + 1} has no accessible name`);
  });
  document.querySelectorAll("img").forEach((img) => {
    if (!img.hasAttribute("alt")) say(`img ${img.getAttribute("src")} has no alt`);
  });
  document.querySelectorAll("a").forEach((a) => {
    if (!a.textContent.trim() && !a.getAttribute("aria-label")) say("a link has no text");
    const href = a.getAttribute("href") || "";
    if (href.startsWith("#") && href.length > 1 && !document.getElementById(decodeURIComponent(href.slice(1)))) say(`link to missing ${href}`);
  });
  document.querySelectorAll('[role="region"]').forEach((r) => {
    if (!nameOf(r)) say("a region has no name");
  });
  document.querySelectorAll("input:not([type=hidden]), select, textarea, button").forEach((c) => {
    const labelled = c.labels && c.labels.length > 0;
    if (!labelled && !nameOf(c) && !(c.tagName === "BUTTON" && c.textContent.trim())) say(`${c.tagName.toLowerCase()} has no label`);
  });
  document.querySelectorAll("table").forEach((t, i) => {
    if (!t.querySelector("th")) say(`table #${i + 1} has no header cells`);
  });
  const ids = new Set();
  document.querySelectorAll("[id]").forEach((e) => {
    if (ids.has(e.id)) say(`id ${e.id} is used twice`);
    ids.add(e.id);
  });
  document.querySelectorAll("[aria-labelledby]").forEach((e) => {
    e.getAttribute("aria-labelledby").split(/\s+/).filter(Boolean).forEach((id) => {
      if (!document.getElementById(id)) say(`aria-labelledby names missing ${id}`);
    });
  });

  // Contrast (WCAG 2 AA): 4.5:1, or 3:1 for large text.
  const parse = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c || "");
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (fg, bg) => ({ r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a), a: 1 });
  const lum = (c) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const backdrop = (el) => {
    const chain = [];
    for (let e = el; e; e = e.parentElement) chain.unshift(e);
    let bg = { r: 255, g: 255, b: 255, a: 1 };
    let opacity = 1;
    for (const e of chain) {
      const s = getComputedStyle(e);
      opacity *= Number(s.opacity);
      const c = parse(s.backgroundColor);
      if (c && c.a > 0) bg = over(c, bg);
    }
    return { bg, opacity };
  };
  const seen = new Set();
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || seen.has(el)) continue;
    seen.add(el);
    if (el.closest("script, style, title, desc") || !el.checkVisibility({ visibilityProperty: true })) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    const s = getComputedStyle(el);
    const inSVG = el instanceof SVGElement;
    const fg = parse(inSVG ? s.fill : s.color);
    if (!fg) continue;
    const { bg, opacity } = backdrop(el);
    fg.a *= opacity;
    const l1 = lum(over(fg, bg));
    const l2 = lum(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    const want = large ? 3 : 4.5;
    if (ratio < want) say(`contrast ${ratio.toFixed(2)}:1 (want ${want}) for "${short(n.textContent)}" (${s.color} on rgb(${Math.round(bg.r)}, ${Math.round(bg.g)}, ${Math.round(bg.b)}))`);
  }
  return problems;
})()
