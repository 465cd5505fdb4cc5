// The served custom-functions JavaScript in Node against the live lpsa-xl server (its URL in
// LPSA_SERVER; LPSA_KEYED_SERVER is one that needs the key in LPSA_KEY), with Office.js's
// custom functions runtime mocked (office_mock.mjs). Run by tests/test_js_client.py.

import assert from "node:assert/strict";
import http from "node:http";
import { test } from "node:test";

import { OUTPUT_CODES, countingFetch, customFunctions, load } from "./office_mock.mjs";

const SERVER = process.env.LPSA_SERVER;
const invocation = (address = "Sheet1!A1") => ({ address });

// The code as the server serves it, loaded with the runtime mocked; ctx.__run changes
// LPSA_CONFIG inside the context, where it lives.
async function served(server = SERVER, query = "") {
  const code = await (await fetch(server + "/xlwings/custom-functions-code" + query)).text();
  const CustomFunctions = customFunctions();
  const counted = countingFetch(fetch);
  const ctx = load(code, { CustomFunctions, fetch: counted.fetch });
  return { fns: CustomFunctions.associated, CustomFunctions, stats: counted.stats, ctx };
}

// every call of one recalculation, as Excel makes them: all at once
function reward(fns, i, e = 40.1) {
  return fns.LPSA_REWARD([[e]], [[40.2]], [[40.16]], [[275227 + i]], null, null, invocation("A" + (i + 1)));
}

test("every function of the metadata is associated, and a call gives the core's figure", async () => {
  const { fns } = await served();
  const meta = await (await fetch(SERVER + "/xlwings/custom-functions-meta")).json();
  assert.deepEqual(Object.keys(fns).sort(), meta.functions.map((f) => f.id).sort());
  const byId = Object.fromEntries(meta.functions.map((f) => [f.id, f.name]));
  assert.equal(byId.LPSA_REWARD, "REWARD"); // =LPSA.REWARD(...) under the manifest's namespace
  assert.deepEqual(await reward(fns, 0), [[165136]]);
  const status = await fns.LPSA_STATUS([[100]], [[110]], [[112]], null, invocation());
  assert.deepEqual(status, [["Green"]]);
  // a figure typed as text is the number a file gives for it
  assert.deepEqual(await fns.LPSA_ACHIEVEMENT([[0]], [[1]], [["45%"]], invocation()), [[0.45]]);
});

test("a recalculation of 500 cells is sent as 3 requests, none more than 4 at once", async () => {
  const { fns, stats } = await served();
  const results = await Promise.all(Array.from({ length: 500 }, (_, i) => reward(fns, i)));
  assert.equal(stats.requests, 3);
  assert.ok(stats.maxInFlight <= 4);
  assert.deepEqual(results[0], [[165136]]);
  assert.equal(results.length, 500);
  assert.ok(results.every((r) => typeof r[0][0] === "number"));
});

test("at most maxInFlight requests are in flight", async () => {
  const { fns, stats, ctx } = await served();
  ctx.__run("LPSA_CONFIG.maxBatch = 5; LPSA_CONFIG.maxInFlight = 2;");
  await Promise.all(Array.from({ length: 60 }, (_, i) => reward(fns, i)));
  assert.equal(stats.requests, 12);
  assert.equal(stats.maxInFlight, 2);
});

test("error results are CustomFunctions.Error, with a message only for #VALUE! and #N/A", async () => {
  const { fns, CustomFunctions } = await served();
  const [[div0]] = await fns.LPSA_REWARD([[1]], [[1]], [[1]], [[100]], null, null, invocation());
  assert.ok(div0 instanceof CustomFunctions.Error);
  assert.equal(div0.code, "#DIV/0!");
  assert.equal(div0.message, undefined);
  const [[blank]] = await fns.LPSA_REWARD([[""]], [[2]], [[3]], [[4]], null, null, invocation());
  assert.equal(blank.code, "#VALUE!");
  assert.match(blank.message, /^[A-Z].*expected.*\.$/);
  const [[scheme]] = await fns.LPSA_PAYABLE([[1]], [[2]], [[3]], [["LPSA9"]], invocation());
  assert.equal(scheme.code, "#N/A");
  assert.match(scheme.message, /LPSA9/);
});

test("error inputs pass through as the error they are", async () => {
  const { fns, CustomFunctions } = await served();
  const div0 = new CustomFunctions.Error(CustomFunctions.ErrorCode.divisionByZero);
  const [[same]] = await fns.LPSA_STRETCH([[div0]], [[2]], invocation());
  assert.equal(same.code, "#DIV/0!");
  const inputs = [
    new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidReference),
    { type: "Error", errorType: "Spill", basicValue: "#SPILL!" },
    { type: "Error", errorType: "Calc" },
    { type: "Error", errorType: "Busy", basicValue: "#BUSY!" },
    new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidName),
  ];
  for (const input of inputs) {
    const [[out]] = await fns.LPSA_STRETCH([[1]], [[input]], invocation());
    const code = input.code || input.basicValue || "#CALC!";
    // Office.js cannot return these: #VALUE!, whose message names the input's error
    assert.ok(out instanceof CustomFunctions.Error);
    assert.equal(out.code, "#VALUE!");
    assert.ok(out.message.includes(code), out.message);
  }
  const [[na]] = await fns.LPSA_STRETCH([[{ type: "Error", errorType: "NotAvailable" }]], [[2]], invocation());
  assert.equal(na.code, "#N/A");
});

test("every error a function returns is one Office.js allows as output", async () => {
  const { fns, CustomFunctions } = await served();
  const cases = [
    [[[1]], [[1]], [[1]], [[100]], null, null], [[["x"]], [[2]], [[3]], [[4]], null, null],
    [[[1]], [[2]], [[3]], [[-4]], null, null], [[[1]], [[2]], [[3]], [[4]], [["NOPE"]], null],
    [[[1e308]], [[-1e308]], [[3]], [[4]], null, null],
  ];
  for (const args of cases) {
    const [[out]] = await fns.LPSA_REWARD(...args, invocation());
    if (out instanceof CustomFunctions.Error) assert.ok(OUTPUT_CODES.has(out.code), out.code);
  }
});

// A server of our own that misbehaves the way networks do.
function flaky(behaviours) {
  let n = 0;
  const server = http.createServer((req, res) => {
    const act = behaviours[Math.min(n, behaviours.length - 1)];
    n += 1;
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => act(req, res, JSON.parse(body)));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({
    url: "http://127.0.0.1:" + server.address().port, close: () => server.close(),
    get count() { return n; },
  })));
}

const answer = (res, payload) => {
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ results: payload.calls.map(() => ({ result: [[42]] })) }));
};

async function against(fake, settings = "") {
  const code = await (await fetch(SERVER + "/xlwings/custom-functions-code")).text();
  const CustomFunctions = customFunctions();
  const ctx = load(code, { CustomFunctions, fetch });
  ctx.__run(`LPSA_CONFIG.base = ${JSON.stringify(fake.url)}; LPSA_CONFIG.backoffMs = 20; ${settings}`);
  return { fns: CustomFunctions.associated, CustomFunctions };
}

test("a timeout is retried once, after a pause, and then succeeds", async () => {
  const fake = await flaky([() => {}, (req, res, body) => answer(res, body)]);
  try {
    const { fns } = await against(fake, "LPSA_CONFIG.timeoutMs = 200;");
    assert.deepEqual(await reward(fns, 0), [[42]]);
    assert.equal(fake.count, 2);
  } finally {
    fake.close();
  }
});

test("503 is retried; a second failure is #N/A saying what happened, in a sentence", async () => {
  const busy = (req, res) => { res.writeHead(503, { "Content-Type": "text/html" }); res.end("<html>busy</html>"); };
  const fake = await flaky([busy]);
  try {
    const { fns, CustomFunctions } = await against(fake);
    await assert.rejects(reward(fns, 0), (err) => {
      assert.ok(err instanceof CustomFunctions.Error);
      assert.equal(err.code, "#N/A");
      assert.equal(err.message, "The lpsa-xl server could not compute this: it is not available.");
      return true;
    });
    assert.equal(fake.count, 2);
  } finally {
    fake.close();
  }
});

test("a 400 is not retried and its one-line reason is the hover text", async () => {
  const refuse = (req, res) => { res.writeHead(400, { "Content-Type": "text/plain" }); res.end("the request body is not JSON\n"); };
  const fake = await flaky([refuse]);
  try {
    const { fns } = await against(fake);
    await assert.rejects(reward(fns, 0), (err) => {
      assert.equal(err.message, "The lpsa-xl server could not compute this: the request body is not JSON.");
      return true;
    });
    assert.equal(fake.count, 1);
  } finally {
    fake.close();
  }
});

test("an unreachable server is #N/A with a reason, never raw JSON or a stack", async () => {
  const { fns } = await against({ url: "http://127.0.0.1:9" }, "LPSA_CONFIG.retries = 0;");
  await assert.rejects(reward(fns, 0), (err) => {
    assert.equal(err.code, "#N/A");
    assert.match(err.message, /^The lpsa-xl server could not be reached \(.+\); Excel asks again/);
    return true;
  });
});

test("with the organisation's key, calls carry it; without it they are refused in words", { skip: !process.env.LPSA_KEYED_SERVER }, async () => {
  const keyed = process.env.LPSA_KEYED_SERVER;
  const good = await served(keyed, "?key=" + encodeURIComponent(process.env.LPSA_KEY));
  assert.deepEqual(await reward(good.fns, 0), [[165136]]);
  const bad = await served(keyed);
  await assert.rejects(reward(bad.fns, 0), (err) => {
    assert.equal(err.code, "#N/A");
    assert.match(err.message, /organisation's key/);
    return true;
  });
});
