// A recalculation burst through the served custom-functions client: N cells of =LPSA.REWARD
// called at once, as Excel calls them, against the server at process.argv[2]; maxBatch 1 is
// the client without batching (one request per cell), otherwise the client as served. Prints
// one JSON line: the median wall time of the burst over the repeats and the requests made.
// Run by benchmarks/bench_server.py.

import vm from "node:vm";

const [server, cellsArg, batchArg, repeatsArg] = process.argv.slice(2);
const cells = Number(cellsArg), maxBatch = Number(batchArg), repeats = Number(repeatsArg);
const code = await (await fetch(server + "/xlwings/custom-functions-code")).text();

class CFError { constructor(code, message) { this.code = code; this.message = message; } }
const ErrorCode = { divisionByZero: "#DIV/0!", invalidName: "#NAME?", invalidNumber: "#NUM!",
  invalidReference: "#REF!", invalidValue: "#VALUE!", notAvailable: "#N/A", nullReference: "#NULL!" };
let requests = 0;
const counted = (url, options) => { requests += 1; return fetch(url, options); };
const associated = {};
const context = vm.createContext({
  setTimeout, clearTimeout, AbortController, console, fetch: counted,
  CustomFunctions: { Error: CFError, ErrorCode, associate: (id, fn) => { associated[id] = fn; } },
});
vm.runInContext(code, context);
vm.runInContext(`LPSA_CONFIG.maxBatch = ${maxBatch};`, context);

const times = [];
for (let r = 0; r < repeats + 1; r++) {
  requests = 0;
  const start = performance.now();
  const results = await Promise.all(Array.from({ length: cells }, (_, i) =>
    associated.LPSA_REWARD([[40.1]], [[40.2]], [[40.16]], [[275227 + i]], null, null,
      { address: "Targets!V" + (i + 5) })));
  const ms = performance.now() - start;
  if (!results.every((x) => typeof x[0][0] === "number")) throw new Error("a cell failed");
  if (r > 0) times.push(ms); // the first burst warms the connections up
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ cells, maxBatch, requests, median_ms: times[Math.floor(times.length / 2)] }));
