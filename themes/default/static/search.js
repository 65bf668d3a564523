/* gongkai site search. Runs in the browser against the static index that
   the build writes under <base>/search/ (see src/search/mod.rs for the file
   layout); no server, no third-party service, no external request.

   The pure functions (tokenising, hashing, decoding, ranking, snippets) are
   written to run without a DOM so that node can test them against the Rust
   side: they are exported with module.exports when loaded by node. The
   tokenizer must stay identical to src/search/tokenize.rs.

   Everything taken from the query or the index reaches the page through
   textContent and text nodes only, never parsed as markup. */
(function () {
  "use strict";

  var FORMAT_VERSION = 1;
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var MAX_WORD_CHARS = 32;
  var FOLD_FIRST = 0x3400;
  var FOLD_LAST = 0x9fff;
  // Of a query only this many characters and this many distinct terms are
  // used: a pasted page of text must not freeze the browser or download
  // half the index (each term is one term shard).
  var MAX_QUERY_CHARS = 64;
  var MAX_QUERY_TERMS = 6;
  // Weight bits of a posting (src/search/postings.rs) and what they count.
  var TITLE = 8;
  var IDS = 4;
  var BODY = 3;
  var FIELD_SCORE = 16;
  var PAGE_SIZE = 10;
  var SNIPPET_CHARS = 110;
  var SNIPPET_LEAD = 24;

  // ---- tokenising (mirror of src/search/tokenize.rs) ----

  function isCjk(cp) {
    return cp === 0x3007 || (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0x20000 && cp <= 0x323af);
  }

  function isAsciiAlnum(cp) {
    return (cp >= 48 && cp <= 57) || (cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90);
  }

  /* Normalise one code point: full-width ASCII letters and digits to ASCII,
     ASCII lower-cased, then the fold (a Map of code points) inside
     U+3400–U+9FFF. */
  function normalize(cp, fold) {
    if ((cp >= 0xff10 && cp <= 0xff19) || (cp >= 0xff21 && cp <= 0xff3a) ||
        (cp >= 0xff41 && cp <= 0xff5a)) {
      cp -= 0xfee0;
    }
    if (cp >= 65 && cp <= 90) { cp += 32; }
    if (fold && cp >= FOLD_FIRST && cp <= FOLD_LAST && fold.has(cp)) {
      cp = fold.get(cp);
    }
    return cp;
  }

  /* Split text into runs: {cjk: true, chars: [normalised code points],
     start} or {cjk: false, word: "…", start, end}; start and end are
     code point positions in the text (normalising never changes them). */
  function runs(text, fold) {
    var out = [];
    var cps = Array.from(String(text), function (ch) { return ch.codePointAt(0); });
    var cur = null;
    for (var i = 0; i < cps.length; i++) {
      var c = normalize(cps[i], fold);
      if (isAsciiAlnum(c)) {
        if (!cur || cur.cjk) {
          cur = { cjk: false, word: "", length: 0, start: i, end: i };
          out.push(cur);
        }
        if (cur.length < MAX_WORD_CHARS) {
          cur.word += String.fromCodePoint(c);
          cur.length += 1;
        }
        cur.end = i + 1;
      } else if (isCjk(c)) {
        if (!cur || !cur.cjk) {
          cur = { cjk: true, chars: [], start: i };
          out.push(cur);
        }
        cur.chars.push(c);
      } else {
        cur = null;
      }
    }
    return out;
  }

  /* Every term of text in the order the Rust tokenizer emits them. */
  function tokenize(text, fold) {
    var out = [];
    runs(text, fold).forEach(function (run) {
      if (!run.cjk) { out.push(run.word); return; }
      for (var i = 0; i < run.chars.length; i++) {
        out.push(String.fromCodePoint(run.chars[i]));
        if (i > 0) { out.push(String.fromCodePoint(run.chars[i - 1], run.chars[i])); }
      }
    });
    return out;
  }

  /* The terms a query looks up, each one costing a term shard download:
     - an ASCII run: the word;
     - a CJK run of 2–4 characters: all its pairs (不动产 → 不动 动产);
     - a longer CJK run: pairs side by side, still covering every character
       (不动产登记 → 不动 产登 登记), since overlapping ones add little to
       a long phrase;
     - a one-character run: the character, but only when the query has
       nothing else (in 岳政办发〔2023〕12号 the lone 号 would cost a large
       download and narrow nothing).
     Duplicates are dropped; of more than MAX_QUERY_TERMS, evenly spaced ones
     are kept so that a pasted title is matched along its whole length. */
  function queryTerms(query, fold) {
    var chars = Array.from(String(query == null ? "" : query));
    var truncated = chars.length > MAX_QUERY_CHARS;
    var terms = [];
    var singles = [];
    function pair(run, i) { return String.fromCodePoint(run.chars[i], run.chars[i + 1]); }
    runs(chars.slice(0, MAX_QUERY_CHARS).join(""), fold).forEach(function (run) {
      if (!run.cjk) { terms.push(run.word); return; }
      var n = run.chars.length;
      if (n === 1) { singles.push(String.fromCodePoint(run.chars[0])); return; }
      var step = n <= 4 ? 1 : 2;
      for (var i = 0; i + 1 < n; i += step) { terms.push(pair(run, i)); }
      if (step === 2 && n % 2 === 1) { terms.push(pair(run, n - 2)); }
    });
    var distinct = Array.from(new Set(terms.length ? terms : singles));
    if (distinct.length <= MAX_QUERY_TERMS) { return { terms: distinct, truncated: truncated }; }
    var kept = [];
    for (var k = 0; k < MAX_QUERY_TERMS; k++) {
      kept.push(distinct[Math.round(k * (distinct.length - 1) / (MAX_QUERY_TERMS - 1))]);
    }
    return { terms: kept, truncated: truncated };
  }

  /* FNV-1a over code points, then the murmur3 finaliser (hash32 in Rust). */
  function termHash(term) {
    var h = 0x811c9dc5;
    for (var ch of String(term)) {
      h ^= ch.codePointAt(0);
      h = Math.imul(h, 0x01000193);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  }

  // ---- the index ----

  /* A term as the key of its shard (term_key in src/search/mod.rs): ASCII
     words as they are, CJK as "~" and hex code points joined by ".". */
  function termKey(term) {
    if (/^[a-z0-9]*$/.test(term)) { return term; }
    return "~" + Array.from(term, function (ch) { return ch.codePointAt(0).toString(16); }).join(".");
  }

  var DIGIT = {};
  for (var d = 0; d < ALPHABET.length; d++) { DIGIT[ALPHABET.charAt(d)] = d; }

  /* A posting list: {docs: [...], weights: [...]}, docs ascending. */
  function decodePostings(text) {
    var docs = [];
    var weights = [];
    var doc = -1;
    var n = 0;
    var scale = 1;
    for (var i = 0; i < text.length; i++) {
      var v = DIGIT[text.charAt(i)];
      if (v === undefined) { break; }
      if (v >= 32) {
        n += (v - 32) * scale;
        scale *= 32;
      } else {
        n += v * scale;
        doc += Math.floor(n / 16);
        docs.push(doc);
        weights.push(n % 16);
        n = 0;
        scale = 1;
      }
    }
    return { docs: docs, weights: weights };
  }

  function termScore(w) {
    return (w & TITLE ? FIELD_SCORE : 0) + (w & IDS ? FIELD_SCORE : 0) + (w & BODY);
  }

  /* Documents in every list, with the sum of their term scores, best first
     and among equals newest first (documents are numbered newest first). */
  function rank(lists, accept) {
    if (!lists.length) { return []; }
    lists = lists.slice().sort(function (a, b) { return a.docs.length - b.docs.length; });
    var docs = lists[0].docs.slice();
    var scores = lists[0].weights.map(termScore);
    for (var l = 1; l < lists.length && docs.length; l++) {
      var other = lists[l];
      var keptDocs = [];
      var keptScores = [];
      var j = 0;
      for (var i = 0; i < docs.length; i++) {
        while (j < other.docs.length && other.docs[j] < docs[i]) { j++; }
        if (j < other.docs.length && other.docs[j] === docs[i]) {
          keptDocs.push(docs[i]);
          keptScores.push(scores[i] + termScore(other.weights[j]));
        }
      }
      docs = keptDocs;
      scores = keptScores;
    }
    var hits = [];
    for (var k = 0; k < docs.length; k++) {
      if (!accept || accept(docs[k])) { hits.push({ doc: docs[k], score: scores[k] }); }
    }
    hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return hits;
  }

  /* Mark the characters of text that belong to a query term: pairs and
     single characters of CJK runs, whole ASCII words. Returns segments
     [{text, mark}] covering the text. */
  function highlight(text, terms, fold) {
    var chars = Array.from(String(text));
    var wanted = new Set(terms);
    var marked = new Array(chars.length).fill(false);
    runs(text, fold).forEach(function (run) {
      if (!run.cjk) {
        if (wanted.has(run.word)) {
          for (var w = run.start; w < run.end; w++) { marked[w] = true; }
        }
        return;
      }
      for (var i = 0; i < run.chars.length; i++) {
        var at = run.start + i;
        if (wanted.has(String.fromCodePoint(run.chars[i]))) { marked[at] = true; }
        if (i > 0 && wanted.has(String.fromCodePoint(run.chars[i - 1], run.chars[i]))) {
          marked[at - 1] = true;
          marked[at] = true;
        }
      }
    });
    return segments(chars, marked, 0, chars.length);
  }

  function segments(chars, marked, from, to) {
    var out = [];
    for (var i = from; i < to; i++) {
      var last = out[out.length - 1];
      if (last && last.mark === marked[i]) {
        last.text += chars[i];
      } else {
        out.push({ text: chars[i], mark: marked[i] });
      }
    }
    return out;
  }

  /* Up to SNIPPET_CHARS characters of text around the first match, as
     segments, with "…" where text was left out. */
  function snippet(text, terms, fold) {
    var all = highlight(text, terms, fold);
    var chars = [];
    var marked = [];
    all.forEach(function (s) {
      Array.from(s.text).forEach(function (c) { chars.push(c); marked.push(s.mark); });
    });
    var first = marked.indexOf(true);
    var start = first > SNIPPET_LEAD ? first - SNIPPET_LEAD : 0;
    if (chars.length - start < SNIPPET_CHARS) { start = Math.max(0, chars.length - SNIPPET_CHARS); }
    var end = Math.min(chars.length, start + SNIPPET_CHARS);
    // Do not cut a highlighted word in two.
    while (end < chars.length && end > 0 && marked[end - 1] && marked[end]) { end++; }
    var out = segments(chars, marked, start, end);
    if (start > 0) { out.unshift({ text: "…", mark: false }); }
    if (end < chars.length) { out.push({ text: "…", mark: false }); }
    return out;
  }

  /* The line announced above the results of query (r from search). */
  function statusText(query, r, filters) {
    if (!r.terms.length) { return "请输入汉字、字母或数字再搜索（只有标点符号无法搜索）。"; }
    var chars = Array.from(query);
    var shown = "“" + (chars.length > 20 ? chars.slice(0, 20).join("") + "…" : query) + "”";
    var note = r.truncated ? "（内容较长，只按前 " + MAX_QUERY_CHARS + " 个字查找）" : "";
    var filtered = filters && (filters.district || filters.kind) ? "（已按所选地区、类别筛选）" : "";
    if (!r.hits.length) {
      return "没有找到与" + shown + "相关的内容" + filtered + "。请换个说法，或减少字数再试。" + note;
    }
    return "找到 " + r.hits.length + " 条与" + shown + "相关的结果" + filtered + "。" + note;
  }

  /* The query engine over a loader: load(path) returns a promise of the
     parsed JSON file at path (relative to the site root, e.g.
     "search/meta.json"). Files are loaded at most once. */
  function createEngine(load) {
    var cache = new Map();
    function get(path) {
      if (!cache.has(path)) {
        var p = Promise.resolve().then(function () { return load(path); });
        p.catch(function () { cache.delete(path); });
        cache.set(path, p);
      }
      return cache.get(path);
    }

    function meta() {
      return get("search/meta.json").then(function (m) {
        if (!m || m.version !== FORMAT_VERSION) { throw new Error("search index version"); }
        return m;
      });
    }

    /* The fold pages the query's characters fall in, merged into a Map. */
    function foldFor(m, query) {
      var pages = new Set();
      for (var ch of query) {
        var cp = ch.codePointAt(0);
        if (cp >= FOLD_FIRST && cp <= FOLD_LAST) {
          var page = (cp >> 8).toString(16);
          if (m.fold.indexOf(page) !== -1) { pages.add(page); }
        }
      }
      return Promise.all(Array.from(pages).sort().map(function (p) {
        return get("search/fold/" + p + ".json");
      })).then(function (lists) {
        var fold = new Map();
        lists.forEach(function (pairs) {
          pairs.forEach(function (pair) { fold.set(pair[0], pair[1]); });
        });
        return fold;
      });
    }

    /* A filter on district id and kind, or null when none is set. */
    function acceptor(m, filters) {
      var district = filters && filters.district ? filters.district : "";
      var kind = filters && filters.kind ? filters.kind : "";
      if (!district && !kind) { return Promise.resolve(null); }
      var di = m.districts.findIndex(function (x) { return x[0] === district; });
      var ki = m.kinds.findIndex(function (x) { return x[0] === kind; });
      if ((district && di < 0) || (kind && ki < 0)) {
        return Promise.resolve(function () { return false; });
      }
      return get("search/facets.json").then(function (f) {
        var kinds = Math.max(1, m.kinds.length);
        return function (doc) {
          var code = 0;
          for (var i = 0; i < f.width; i++) {
            code = code * 64 + DIGIT[f.codes.charAt(doc * f.width + i)];
          }
          return (!district || Math.floor(code / kinds) === di) && (!kind || code % kinds === ki);
        };
      });
    }

    /* Run a query. Resolves to {terms, truncated, hits, fold}: hits are
       {doc, score} for every matching document, best first; terms is empty
       when the query has nothing to search for (punctuation only). */
    function search(query, filters) {
      var text = Array.from(String(query == null ? "" : query)).slice(0, MAX_QUERY_CHARS + 1).join("");
      return meta().then(function (m) {
        return foldFor(m, text).then(function (fold) {
          var q = queryTerms(text, fold);
          var result = { terms: q.terms, truncated: q.truncated, hits: [], fold: fold };
          if (!q.terms.length || !m.docs) { return result; }
          var shards = q.terms.map(function (t) { return termHash(t) % m.termShards; });
          return Promise.all([
            Promise.all(shards.map(function (n) { return get("search/terms/" + n + ".json"); })),
            acceptor(m, filters)
          ]).then(function (loaded) {
            var lists = [];
            for (var i = 0; i < q.terms.length; i++) {
              var encoded = loaded[0][i][termKey(q.terms[i])];
              if (typeof encoded !== "string") { return result; }
              lists.push(decodePostings(encoded));
            }
            result.hits = rank(lists, loaded[1]);
            return result;
          });
        });
      });
    }

    /* The records of hits (from search), loading only their doc shards:
       {title, url, district, districtName, column, kind, kindLabel, date,
       docNumber, indexNo, text}; url is relative to the copy's base path. */
    function documents(hits) {
      return meta().then(function (m) {
        var shardNos = hits.map(function (h) { return Math.floor(h.doc / m.docsPerShard); });
        return Promise.all(shardNos.map(function (n) { return get("search/docs/" + n + ".json"); }))
          .then(function (shards) {
            return hits.map(function (h, i) {
              var r = shards[i][h.doc % m.docsPerShard] || [];
              var district = m.districts[r[2]] || ["", ""];
              var kind = m.kinds[r[4]] || ["", ""];
              return {
                title: String(r[0] || ""), url: String(r[1] || ""),
                district: district[0], districtName: district[1], column: String(r[3] || ""),
                kind: kind[0], kindLabel: kind[1], date: String(r[5] || ""),
                docNumber: String(r[6] || ""), indexNo: String(r[7] || ""), text: String(r[8] || "")
              };
            });
          });
      });
    }

    return { search: search, documents: documents, meta: meta };
  }

  var api = {
    FORMAT_VERSION: FORMAT_VERSION, MAX_QUERY_CHARS: MAX_QUERY_CHARS,
    MAX_QUERY_TERMS: MAX_QUERY_TERMS, PAGE_SIZE: PAGE_SIZE,
    normalize: normalize, tokenize: tokenize, queryTerms: queryTerms, termHash: termHash, termKey: termKey,
    decodePostings: decodePostings, termScore: termScore, rank: rank,
    highlight: highlight, snippet: snippet, statusText: statusText, createEngine: createEngine
  };

  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  }
  if (typeof document === "undefined") { return; }

  // ---- the page ----

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text != null) { node.textContent = text; }
    return node;
  }

  function appendSegments(parent, segs) {
    segs.forEach(function (s) {
      parent.appendChild(s.mark ? el("mark", null, s.text) : document.createTextNode(s.text));
    });
  }

  function resultItem(rec, terms, fold, base) {
    var li = el("li", "result");
    var title = el("span", "title");
    var link = el("a");
    // Index URLs are paths below the copy's base (no scheme, no leading
    // slash); anything else is not linked.
    if (/^[^\/\\:?#\s][^:\\]*$/.test(rec.url)) { link.setAttribute("href", base + "/" + rec.url); }
    appendSegments(link, highlight(rec.title, terms, fold));
    title.appendChild(link);
    li.appendChild(title);
    var info = [rec.districtName, rec.column, rec.date].filter(Boolean).join(" · ");
    if (rec.docNumber) { info += " · " + rec.docNumber; }
    li.appendChild(el("span", "info", info));
    var text = el("span", "summary");
    appendSegments(text, snippet(rec.text, terms, fold));
    li.appendChild(text);
    return li;
  }

  /* The results page over its elements {form, status, list, more}:
     go() runs the query in the form, more() shows the next page. A newer
     run makes older ones drop their answers. `base` is the copy's base path
     without a trailing slash; index URLs are relative to it. */
  function createPage(els, engine, base) {
    var input = els.form.elements.q;
    var fields = [els.form.elements.district, els.form.elements.kind].filter(Boolean);
    var run = 0;
    var state = null;

    function say(text) { els.status.textContent = text; }

    function showPage() {
      var mine = run;
      var page = state.hits.slice(state.shown, state.shown + PAGE_SIZE);
      els.more.hidden = true;
      return engine.documents(page).then(function (recs) {
        if (mine !== run) { return; }
        recs.forEach(function (rec) { els.list.appendChild(resultItem(rec, state.terms, state.fold, base)); });
        state.shown += recs.length;
        els.more.hidden = state.shown >= state.hits.length;
      });
    }

    function go() {
      var mine = ++run;
      var query = input.value.trim();
      var filters = {};
      fields.forEach(function (f) { filters[f.name] = f.value; });
      els.list.textContent = "";
      els.more.hidden = true;
      state = null;
      if (!query) { say("请输入要查找的内容，例如：不动产登记。"); return; }
      say("正在搜索…");
      engine.search(query, filters).then(function (r) {
        if (mine !== run) { return null; }
        say(statusText(query, r, filters));
        if (!r.hits.length) { return null; }
        state = { terms: r.terms, fold: r.fold, hits: r.hits, shown: 0 };
        return showPage();
      }).catch(function () {
        if (mine === run) { say("搜索暂时无法使用，请稍后再试，或浏览政府信息公开目录查找。"); }
      });
    }

    function more() {
      if (!state) { return; }
      var first = els.list.children.length;
      showPage().then(function () {
        var next = els.list.children[first];
        var link = next && next.querySelector("a");
        if (link) { link.focus(); }
      });
    }

    function fromUrl() {
      var params = new URLSearchParams(window.location.search);
      input.value = params.get("q") || "";
      fields.forEach(function (f) { f.value = params.get(f.name) || ""; });
    }

    function toUrl() {
      var params = new URLSearchParams();
      if (input.value.trim()) { params.set("q", input.value.trim()); }
      fields.forEach(function (f) { if (f.value) { params.set(f.name, f.value); } });
      var search = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
    }

    return { input: input, fields: fields, go: go, more: more, fromUrl: fromUrl, toUrl: toUrl };
  }

  function init() {
    var els = {
      form: document.getElementById("search-form"),
      status: document.getElementById("search-status"),
      list: document.getElementById("search-list"),
      more: document.getElementById("search-more")
    };
    if (!els.form || !els.status || !els.list || !els.more || !window.fetch) { return; }
    var base = (els.form.getAttribute("data-base") || "").replace(/\/+$/, "");
    var page = createPage(els, createEngine(function (path) {
      return fetch(base + "/" + path, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) { throw new Error(r.status + " " + path); }
        return r.json();
      });
    }), base);
    var timer = 0;
    function now() { clearTimeout(timer); page.toUrl(); page.go(); }
    function later() { clearTimeout(timer); timer = setTimeout(now, 300); }
    els.form.addEventListener("submit", function (ev) { ev.preventDefault(); now(); });
    // While a Chinese input method is composing, the box holds pinyin
    // letters: wait for the characters.
    page.input.addEventListener("input", function (ev) { if (!ev.isComposing) { later(); } });
    page.input.addEventListener("compositionend", later);
    page.fields.forEach(function (f) { f.addEventListener("change", now); });
    els.more.addEventListener("click", page.more);
    page.fromUrl();
    if (page.input.value.trim()) { page.go(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
