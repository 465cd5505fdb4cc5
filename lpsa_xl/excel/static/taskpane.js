// lpsa-xl task pane (Excel on the web and on Mac): sends the workbook to the lpsa-xl server as
// xlwings' book JSON (the server adds its xlwings version), runs a script there (Calculate,
// Validate, Build claim) and applies the actions it answers with. Written for lpsa-xl (MIT); it
// supports the actions the lpsa-xl scripts produce: setValues, addSheet, activateSheet,
// sheetClearContents, rangeClearContents, calculate. Needs ExcelApi 1.4
// (getUsedRangeOrNullObject, NamedItem.getRangeOrNullObject), declared in the manifest.
//
// Cell values travel as Excel shows them: error cells as their error text ("#N/A", "#NAME?"),
// which the server keeps as errors, so Validate reports what `lpsa-xl check` reports for the
// same return saved as a file.

const LPSA_PANE = {
  timeoutMs: 120000,
  key: (typeof location !== "undefined" && location.search
    ? new URLSearchParams(location.search).get("key") : null) || "",
};

async function lpsaBookJson(context) {
  const workbook = context.workbook;
  workbook.load("name");
  const sheets = workbook.worksheets;
  sheets.load("items/name,items/visibility");
  const active = workbook.worksheets.getActiveWorksheet();
  active.load("position");
  const names = workbook.names;
  names.load("items/name,items/type");
  await context.sync();
  const used = sheets.items.map((s) => s.getUsedRangeOrNullObject(true));
  used.forEach((u) => u.load("address,rowIndex,columnIndex,rowCount,columnCount"));
  const tables = sheets.items.map((s) => {
    s.tables.load("items/name");
    return s.tables;
  });
  await context.sync();
  // Values anchored at A1, as xlwings' remote book expects them.
  const blocks = sheets.items.map((s, i) =>
    used[i].isNullObject ? null : s.getRange("A1").getBoundingRect(used[i])
  );
  blocks.forEach((b) => b && b.load("values,formulas,numberFormat"));
  // the document properties name the authority of many council returns (ExcelApi 1.7)
  const props = workbook.properties;
  if (props) props.load("title,subject,keywords,comments,category");
  const tableRanges = tables.map((t) => t.items.map((item) => {
    const r = item.getRange();
    r.load("address");
    return r;
  }));
  const ranges = names.items.map((n) => (n.type === "Range" ? n.getRangeOrNullObject() : null));
  ranges.forEach((r) => r && r.load("address,worksheet/position"));
  await context.sync();
  const local = (address) => address.split("!").pop();
  return {
    client: "Office.js",
    book: { name: workbook.name, active_sheet_index: active.position, selection: null },
    sheets: sheets.items.map((s, i) => ({
      name: s.name,
      values: blocks[i] ? blocks[i].values : [[]],
      // lpsa-xl's addition: the macros never overwrite a formula (lpsa_xl/excel/macros.py),
      // and Validate tells functions that are not loaded (#NAME?) from other errors
      formulas: blocks[i] ? blocks[i].formulas : [[]],
      // and each cell's number format: a 49%-formatted 0.49, a date sent as its serial number
      number_formats: blocks[i] ? blocks[i].numberFormat : [[]],
      used_range_address: used[i].isNullObject ? null : local(used[i].address),
      visibility: s.visibility,
      tables: tables[i].items.map((t, j) => ({
        name: t.name, range_address: local(tableRanges[i][j].address),
        header_row_range_address: null, data_body_range_address: null,
        total_row_range_address: null, show_headers: true, show_totals: false,
        table_style: "", show_autofilter: true, columns: [],
      })),
      pictures: [], shapes: [], charts: [], notes: [], pivot_tables: [],
      print_area: null, show_gridlines: true,
    })),
    properties: props ? { title: props.title, subject: props.subject, keywords: props.keywords,
      description: props.comments, category: props.category } : {},
    names: names.items.map((n, i) => ({
      name: n.name,
      sheet_index: ranges[i] && !ranges[i].isNullObject ? ranges[i].worksheet.position : null,
      address: ranges[i] && !ranges[i].isNullObject ? local(ranges[i].address) : null,
      book_scope: true, scope_sheet_index: null, scope_sheet_name: null,
    })),
  };
}

async function lpsaApply(context, actions) {
  for (const a of actions) {
    const sheets = context.workbook.worksheets;
    sheets.load("items/name");
    await context.sync();
    const sheet = a.sheet_position === null || a.sheet_position === undefined
      ? null : sheets.items[a.sheet_position];
    if (a.func === "setValues") {
      const rows = a.values.length, cols = a.values[0].length;
      sheet.getCell(a.start_row, a.start_column).getResizedRange(rows - 1, cols - 1).values =
        a.values.map((r) => r.map((v) => (v === null ? "" : v)));
    } else if (a.func === "rangeClearContents") {
      sheet.getCell(a.start_row, a.start_column)
        .getResizedRange(a.row_count - 1, a.column_count - 1).clear("Contents");
    } else if (a.func === "sheetClearContents") {
      sheet.getRange().clear("Contents");
    } else if (a.func === "addSheet") {
      const added = sheets.add(a.args[1]);
      added.position = a.args[0];
    } else if (a.func === "calculate") {
      context.workbook.application.calculate(Excel.CalculationType.full);
    } else if (a.func === "activateSheet") {
      sheets.items[a.args[0]].activate();
    } else {
      throw new Error("this task pane cannot apply the server's action " + a.func);
    }
    await context.sync();
  }
}

// The server's answer, or an Error whose message is a sentence for the status line.
async function lpsaPostScript(name, book) {
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  const timer = setTimeout(() => controller && controller.abort(), LPSA_PANE.timeoutMs);
  const headers = { "Content-Type": "application/json" };
  if (LPSA_PANE.key) headers.Authorization = "Bearer " + LPSA_PANE.key;
  let response;
  try {
    response = await fetch(location.origin + "/xlwings/custom-scripts-call/" + name, {
      method: "POST", headers, body: JSON.stringify(book),
      signal: controller ? controller.signal : undefined,
    });
  } catch (error) {
    const why = error && error.name === "AbortError"
      ? "no answer within " + LPSA_PANE.timeoutMs / 1000 + " s" : "it could not be reached";
    throw new Error("The lpsa-xl server did not answer (" + why + "). Try again in a moment.");
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) {
    let text = "";
    try { text = (await response.text()).trim(); } catch (e) { text = ""; }
    const plain = text && text.length <= 300 && !/^[<{\[]/.test(text) && !text.includes("\n");
    throw new Error("The lpsa-xl server refused the workbook (HTTP " + response.status + ")" +
      (plain ? ": " + text : "."));
  }
  return response.json();
}

async function lpsaRunScript(name, label) {
  const status = document.getElementById("status");
  const shown = label || name;
  status.textContent = shown + ": working...";
  try {
    await Excel.run(async (context) => {
      const book = await lpsaBookJson(context);
      const result = await lpsaPostScript(name, book);
      await lpsaApply(context, result.actions);
    });
    status.textContent = shown + ": done.";
  } catch (error) {
    status.textContent = shown + " failed. " + (error && error.message ? error.message : error);
  }
}

if (typeof Office !== "undefined") {
  Office.onReady(() => {});
}
