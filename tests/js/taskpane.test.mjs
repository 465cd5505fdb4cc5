// The served task pane in Node against the live lpsa-xl server, with Excel's object model
// mocked in memory (office_mock.mjs): it reads a return as Office.js hands it over, runs a
// script on the server and applies the answer to the book. LPSA_BOOKS names a JSON file of
// {"label": book JSON} written by tests/test_js_client.py from the example returns, and
// LPSA_EXPECTED one of {"label": [[rule, sheet, cell], ...]} (what `lpsa-xl check` finds).

import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";

import { excel, load } from "./office_mock.mjs";

const SERVER = process.env.LPSA_SERVER;
const BOOKS = process.env.LPSA_BOOKS ? JSON.parse(fs.readFileSync(process.env.LPSA_BOOKS)) : {};
const EXPECTED = process.env.LPSA_EXPECTED
  ? JSON.parse(fs.readFileSync(process.env.LPSA_EXPECTED)) : {};

async function pane(book, fetchImpl = fetch) {
  const code = await (await fetch(SERVER + "/static/taskpane.js")).text();
  const { Excel, book: state } = excel(book);
  const status = { textContent: "" };
  const ctx = load(code, {
    Excel, fetch: fetchImpl, location: { origin: SERVER, search: "" },
    document: { getElementById: () => status },
  });
  return { ctx, state, status };
}

function sheetValues(sheet) {
  const used = sheet.getUsedRangeOrNullObject();
  return used.isNullObject ? [] : sheet.getRange("A1").getBoundingRect(used).values;
}

for (const [label, book] of Object.entries(BOOKS)) {
  test(`Validate on ${label} writes the findings lpsa-xl check gives for the file`, async () => {
    const { ctx, state, status } = await pane(book);
    await ctx.lpsaRunScript("validate", "Validate");
    assert.equal(status.textContent, "Validate: done.");
    const findings = state.sheets.find((s) => s.name === "Findings");
    assert.ok(findings, "a Findings sheet");
    const rows = sheetValues(findings).slice(1);
    const got = rows.filter((r) => r[0] !== "ok").map((r) => [r[3], r[1], r[2]]);
    assert.deepEqual(got, EXPECTED[label]);
    assert.equal(state.active, findings);
  });

  // a planted fault (Calculate writes findings instead), or a council layout (no template
  // formulas for Excel to recalculate)
  const planted = /^[ef]\d\d_/.test(label) || label.startsWith("council_");
  test(`Calculate on ${label} leaves the formulas to Excel and asks it to recalculate`, { skip: planted }, async () => {
    const { ctx, state, status } = await pane(book);
    await ctx.lpsaRunScript("calculate", "Calculate");
    assert.equal(status.textContent, "Calculate: done.");
    assert.equal(state.calculations, 1);
  });
}

const ONE_SHEET = { book: { name: "x.xlsx", active_sheet_index: 0 }, sheets: [{ name: "A", values: [[1]] }], names: [] };

test("a refused workbook shows the server's one-line reason in a sentence", async () => {
  const tooLarge = async () => new Response("the request is larger than the 8388608 bytes this server accepts\n", { status: 413 });
  const { ctx, status } = await pane(ONE_SHEET, tooLarge);
  await ctx.lpsaRunScript("validate", "Validate");
  assert.equal(status.textContent, "Validate failed. The lpsa-xl server refused the workbook " +
    "(HTTP 413): the request is larger than the 8388608 bytes this server accepts");
});

test("an HTML error page from a proxy is not shown as text", async () => {
  const proxy = async () => new Response("<html><body>Bad gateway</body></html>", { status: 502 });
  const { ctx, status } = await pane(ONE_SHEET, proxy);
  await ctx.lpsaRunScript("calculate", "Calculate");
  assert.equal(status.textContent, "Calculate failed. The lpsa-xl server refused the workbook (HTTP 502).");
});

test("an unreachable server says so, without a stack", async () => {
  const refuse = () => Promise.reject(new TypeError("fetch failed"));
  const { ctx, status } = await pane(ONE_SHEET, refuse);
  await ctx.lpsaRunScript("build_claim", "Build claim");
  assert.equal(status.textContent,
    "Build claim failed. The lpsa-xl server did not answer (it could not be reached). Try again in a moment.");
});
