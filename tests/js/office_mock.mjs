// Office.js as far as lpsa-xl's served JavaScript uses it, for tests in Node: the custom
// functions runtime (CustomFunctions.associate, .Error, .ErrorCode, with Microsoft's rules on
// which errors may be returned and which may carry a message) and an Excel workbook object
// model held in memory (worksheets, used ranges, values, formulas and number formats, names,
// tables, document properties).

import vm from "node:vm";

// Microsoft's CustomFunctions.ErrorCode (custom-functions-runtime).
export const ErrorCode = {
  divisionByZero: "#DIV/0!",
  invalidName: "#NAME?",
  invalidNumber: "#NUM!",
  invalidReference: "#REF!",
  invalidValue: "#VALUE!",
  notAvailable: "#N/A",
  nullReference: "#NULL!",
};
const MESSAGE_CODES = new Set(["#VALUE!", "#N/A"]);
export const OUTPUT_CODES = new Set(["#DIV/0!", "#NUM!", "#VALUE!", "#N/A", "#NULL!"]);

export function customFunctions() {
  class CFError {
    constructor(code, message) {
      if (!Object.values(ErrorCode).includes(code)) throw new TypeError("unknown code " + code);
      if (message !== undefined && !MESSAGE_CODES.has(code)) {
        throw new TypeError("a custom message is not allowed with " + code);
      }
      this.code = code;
      this.message = message;
    }
  }
  const associated = {};
  return {
    Error: CFError,
    ErrorCode,
    associated,
    associate(id, fn) {
      if (associated[id]) throw new Error("associated twice: " + id);
      associated[id] = fn;
    },
  };
}

// A fetch that counts requests and how many were in flight at once.
export function countingFetch(inner = fetch) {
  const stats = { requests: 0, inFlight: 0, maxInFlight: 0, bodies: [] };
  const wrapped = async (url, options) => {
    stats.requests += 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    stats.bodies.push(options && options.body ? JSON.parse(options.body) : null);
    try {
      return await inner(url, options);
    } finally {
      stats.inFlight -= 1;
    }
  };
  return { fetch: wrapped, stats };
}

// Load served JavaScript into a fresh context with the given globals.
export function load(code, globals) {
  const context = vm.createContext({
    setTimeout, clearTimeout, AbortController, URLSearchParams, console, JSON, Promise,
    ...globals,
  });
  vm.runInContext(code, context, { filename: "served.js" });
  context.__run = (source) => vm.runInContext(source, context);
  return context;
}

// --- Excel: a workbook in memory ---------------------------------------------------------------

function colLetters(n) {
  let s = "";
  for (n += 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function parseA1(a1) {
  const m = /^\$?([A-Z]+)\$?(\d+)$/.exec(a1);
  let col = 0;
  for (const ch of m[1]) col = col * 26 + ch.charCodeAt(0) - 64;
  return [Number(m[2]) - 1, col - 1];
}

class Range {
  constructor(sheet, row, col, rows, cols) {
    Object.assign(this, { sheet, row, col, rows, cols, isNullObject: false });
    this.worksheet = sheet;
  }
  load() { return this; }
  get rowIndex() { return this.row; }
  get columnIndex() { return this.col; }
  get rowCount() { return this.rows; }
  get columnCount() { return this.cols; }
  get address() {
    const end = colLetters(this.col + this.cols - 1) + (this.row + this.rows);
    return this.sheet.name + "!" + colLetters(this.col) + (this.row + 1) +
      (this.rows * this.cols > 1 ? ":" + end : "");
  }
  grid(kind) {
    const out = [];
    for (let r = 0; r < this.rows; r++) {
      const row = [];
      for (let c = 0; c < this.cols; c++) row.push(this.sheet.cell(this.row + r, this.col + c)[kind]);
      out.push(row);
    }
    return out;
  }
  get values() { return this.grid("value"); }
  set values(rows) {
    rows.forEach((row, r) => row.forEach((v, c) => this.sheet.set(this.row + r, this.col + c, v)));
  }
  get formulas() { return this.grid("formula"); }
  get numberFormat() { return this.grid("format"); }
  getBoundingRect(other) {
    const r1 = Math.max(this.row + this.rows, other.row + other.rows);
    const c1 = Math.max(this.col + this.cols, other.col + other.cols);
    const r0 = Math.min(this.row, other.row), c0 = Math.min(this.col, other.col);
    return new Range(this.sheet, r0, c0, r1 - r0, c1 - c0);
  }
  getResizedRange(dr, dc) { return new Range(this.sheet, this.row, this.col, this.rows + dr, this.cols + dc); }
  clear() {
    for (let r = 0; r < this.rows; r++) for (let c = 0; c < this.cols; c++) this.sheet.set(this.row + r, this.col + c, "");
  }
}

class Sheet {
  constructor(book, spec) {
    this.book = book;
    this.name = spec.name;
    this.visibility = "Visible";
    this.cells = new Map();
    (spec.values || []).forEach((row, r) => row.forEach((v, c) => {
      const f = spec.formulas && spec.formulas[r] ? spec.formulas[r][c] : undefined;
      const format = (spec.number_formats && spec.number_formats[r] && spec.number_formats[r][c]) || "General";
      if ((v !== null && v !== "") || (typeof f === "string" && f.startsWith("="))) {
        this.cells.set(r + "," + c, { value: v === null ? "" : v, formula: typeof f === "string" && f.startsWith("=") ? f : v, format });
      }
    }));
    this.tables = {
      items: (spec.tables || []).map((t) => ({ name: t.name, ref: t.range_address })),
      load() {},
    };
    this.tables.items.forEach((t) => {
      t.getRange = () => {
        const [a, b] = t.ref.split(":");
        const [r0, c0] = parseA1(a), [r1, c1] = parseA1(b);
        return new Range(this, r0, c0, r1 - r0 + 1, c1 - c0 + 1);
      };
    });
  }
  load() { return this; }
  get position() { return this.book.sheets.indexOf(this); }
  set position(i) {
    const list = this.book.sheets;
    list.splice(list.indexOf(this), 1);
    list.splice(Math.min(i, list.length), 0, this);
  }
  cell(r, c) { return this.cells.get(r + "," + c) || { value: "", formula: "", format: "General" }; }
  set(r, c, v) {
    const format = this.cell(r, c).format;
    if (v === "" || v === null) this.cells.delete(r + "," + c);
    else this.cells.set(r + "," + c, { value: v, formula: v, format });
  }
  getUsedRangeOrNullObject() {
    const keys = [...this.cells.keys()].map((k) => k.split(",").map(Number));
    if (!keys.length) return { isNullObject: true, load() {} };
    const rs = keys.map((k) => k[0]), cs = keys.map((k) => k[1]);
    const r0 = Math.min(...rs), c0 = Math.min(...cs);
    return new Range(this, r0, c0, Math.max(...rs) - r0 + 1, Math.max(...cs) - c0 + 1);
  }
  getRange(a1) {
    if (!a1) return new Range(this, 0, 0, 1048576, 16384);
    const [r, c] = parseA1(a1);
    return new Range(this, r, c, 1, 1);
  }
  getCell(r, c) { return new Range(this, r, c, 1, 1); }
  activate() { this.book.active = this; }
  clearAll() { this.cells.clear(); }
}

// An Excel namespace whose Excel.run works on the book described by `json` (xlwings' book
// JSON with lpsa-xl's formulas grid), recording the calculations asked for.
export function excel(json) {
  const book = { sheets: [], active: null, calculations: 0, name: json.book.name };
  json.sheets.forEach((s) => book.sheets.push(new Sheet(book, s)));
  book.active = book.sheets[json.book.active_sheet_index || 0];
  const worksheets = {
    get items() { return book.sheets; },
    load() {},
    getActiveWorksheet: () => book.active,
    add(name) {
      const sheet = new Sheet(book, { name });
      book.sheets.push(sheet);
      return sheet;
    },
  };
  const names = {
    items: json.names.map((n) => ({
      name: n.name, type: "Range",
      getRangeOrNullObject() {
        const sheet = book.sheets[n.sheet_index];
        const [a, b] = n.address.split(":");
        const [r0, c0] = parseA1(a), [r1, c1] = parseA1(b || a);
        return new Range(sheet, r0, c0, r1 - r0 + 1, c1 - c0 + 1);
      },
    })),
    load() {},
  };
  const workbook = {
    get name() { return book.name; }, load() {}, worksheets, names,
    // DocumentProperties: Office.js calls the description "comments"
    properties: { title: "", subject: "", keywords: "", category: "", ...(json.properties || {}),
      comments: (json.properties || {}).description || "", load() {} },
    application: { calculate() { book.calculations += 1; } },
  };
  // Range.clear on a whole sheet: the mock's getRange() is the whole grid
  Range.prototype.clear = function clear() {
    if (this.rows === 1048576) { this.sheet.clearAll(); return; }
    for (let r = 0; r < this.rows; r++) for (let c = 0; c < this.cols; c++) this.sheet.set(this.row + r, this.col + c, "");
  };
  const Excel = {
    CalculationType: { full: "Full" },
    async run(fn) { return fn({ workbook, sync: async () => {} }); },
  };
  return { Excel, book };
}
