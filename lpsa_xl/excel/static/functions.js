// lpsa-xl custom functions for Excel on the web and on Mac (Office.js), served by
// lpsa_xl/excel/server.py. Each call is posted to the server, which runs the rules core;
// error entities in the answer become CustomFunctions.Error so Excel shows the reason on hover.
// Written for lpsa-xl (MIT); the per-function bindings are appended by the server.

const LPSA_CALL_PATH = "@CALL_PATH@";
const LPSA_XLWINGS_VERSION = "@XLWINGS_VERSION@";
const LPSA_ERROR_CODES = {
  "#DIV/0!": "divisionByZero",
  "#N/A": "notAvailable",
  "#NAME?": "invalidName",
  "#NULL!": "nullReference",
  "#NUM!": "invalidNumber",
  "#VALUE!": "invalidValue",
};

function lpsaError(code, message) {
  const name = LPSA_ERROR_CODES[code] || "invalidValue";
  return new CustomFunctions.Error(CustomFunctions.ErrorCode[name], message || undefined);
}

function lpsaCell(value) {
  if (value !== null && typeof value === "object" && value.type === "Error") {
    return lpsaError(value.basicValue, value.message);
  }
  return value;
}

// Office.js passes the invocation as the last argument (requiresAddress in the metadata).
async function lpsaCall(name, args) {
  const invocation = args[args.length - 1];
  const body = {
    func_name: name,
    args: args.slice(0, -1).map((a) => (a === undefined ? null : a)),
    caller_address: invocation && invocation.address,
    version: LPSA_XLWINGS_VERSION,
    client: "Office.js",
    runtime: "1.4",
  };
  let response;
  try {
    response = await fetch(window.location.origin + LPSA_CALL_PATH, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw lpsaError("#N/A", "lpsa-xl server unreachable: " + error);
  }
  if (!response.ok) {
    throw lpsaError("#VALUE!", await response.text());
  }
  const data = await response.json();
  return data.result.map((row) => row.map(lpsaCell));
}

