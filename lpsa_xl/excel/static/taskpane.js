// lpsa-xl task pane (Excel on the web and on Mac): sends the workbook to the lpsa-xl server as
// xlwings' book JSON (the server adds its xlwings version), runs a script there (Calculate,
// Validate, Build claim) and applies the actions it answers with. Written for lpsa-xl (MIT); it supports the actions the lpsa-xl
// scripts produce: setValues, addSheet, activateSheet, sheetClearContents, rangeClearContents,
// calculate.

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
  await context.sync();
  // Values anchored at A1, as xlwings' remote book expects them.
  const blocks = sheets.items.map((s, i) =>
    used[i].isNullObject ? null : s.getRange("A1").getBoundingRect(used[i])
  );
  blocks.forEach((b) => b && b.load("values,formulas"));
  const ranges = names.items.map((n) => (n.type === "Range" ? n.getRangeOrNullObject() : null));
  ranges.forEach((r) => r && r.load("address,worksheet/position"));
  await context.sync();
  return {
    client: "Office.js",
    book: { name: workbook.name, active_sheet_index: active.position, selection: null },
    sheets: sheets.items.map((s, i) => ({
      name: s.name,
      values: blocks[i] ? blocks[i].values : [[]],
      // lpsa-xl's addition: the macros never overwrite a formula (lpsa_xl/excel/macros.py)
      formulas: blocks[i] ? blocks[i].formulas : [[]],
      used_range_address: used[i].isNullObject ? null : used[i].address.split("!").pop(),
      visibility: s.visibility,
      tables: [], pictures: [], shapes: [], charts: [], notes: [], pivot_tables: [],
      print_area: null, show_gridlines: true,
    })),
    names: names.items.map((n, i) => ({
      name: n.name,
      sheet_index: ranges[i] && !ranges[i].isNullObject ? ranges[i].worksheet.position : null,
      address: ranges[i] && !ranges[i].isNullObject ? ranges[i].address.split("!").pop() : null,
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
      throw new Error("lpsa-xl task pane cannot apply action " + a.func);
    }
    await context.sync();
  }
}

async function lpsaRunScript(name) {
  const status = document.getElementById("status");
  status.textContent = "Running " + name + "...";
  try {
    await Excel.run(async (context) => {
      const book = await lpsaBookJson(context);
      const response = await fetch(window.location.origin + "/xlwings/custom-scripts-call/" + name, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(book),
      });
      if (!response.ok) throw new Error(await response.text());
      const result = await response.json();
      await lpsaApply(context, result.actions);
    });
    status.textContent = "Done: " + name;
  } catch (error) {
    status.textContent = "Failed: " + error.message;
  }
}

Office.onReady(() => {});
