// lpsa-xl custom functions for Excel on the web and on Mac (Office.js), served by the lpsa-xl
// server at /xlwings/custom-functions-code with the @...@ placeholders filled in. Written for
// lpsa-xl (MIT); the per-function bindings are appended by the server.
//
// Every call Excel makes during one recalculation is queued and sent in batches (one request
// for many cells), at most LPSA_CONFIG.maxInFlight requests at a time, each with a timeout and,
// since the functions are pure, one retry with backoff when the server is unreachable or busy.
// Results come back as values or error entities; an error entity becomes a
// CustomFunctions.Error (CustomFunctionsRuntime 1.2), with a hover message only where
// Microsoft allows one (#VALUE! and #N/A).

const LPSA_CONFIG = {
  base: "@BASE_URL@",
  batchPath: "@BATCH_PATH@",
  key: "@KEY@",
  timeoutMs: 20000,
  retries: 1,
  backoffMs: 400,
  maxInFlight: 4,
  maxBatch: 200,
};

// Output errors a custom function may return, by code (CustomFunctions.ErrorCode member).
// #REF! and #NAME? are accepted as inputs but cannot be returned; #SPILL!, #CALC!, #BUSY! and
// the other newer errors are not in CustomFunctions.ErrorCode at all.
const LPSA_OUTPUT_ERRORS = {
  "#DIV/0!": "divisionByZero",
  "#N/A": "notAvailable",
  "#NULL!": "nullReference",
  "#NUM!": "invalidNumber",
  "#VALUE!": "invalidValue",
};
// Only these two error kinds may carry a custom message (Microsoft's CustomFunctions.Error).
const LPSA_MESSAGE_ERRORS = new Set(["#VALUE!", "#N/A"]);
// Excel.ErrorCellValueType -> the error as Excel shows it (inputs arriving as data types).
const LPSA_ERROR_TYPES = {
  Blocked: "#BLOCKED!", Busy: "#BUSY!", Calc: "#CALC!", Connect: "#CONNECT!",
  Div0: "#DIV/0!", Field: "#FIELD!", GettingData: "#GETTING_DATA", NotAvailable: "#N/A",
  Name: "#NAME?", Null: "#NULL!", Num: "#NUM!", Ref: "#REF!", Spill: "#SPILL!",
  Unknown: "#UNKNOWN!", Value: "#VALUE!",
};

function lpsaError(code, message) {
  if (typeof CustomFunctions === "undefined" || typeof CustomFunctions.Error !== "function") {
    return new Error(message || code); // no CustomFunctionsRuntime 1.2: Excel shows #VALUE!
  }
  let shown = code;
  let text = message;
  if (!(code in LPSA_OUTPUT_ERRORS)) {
    // an input error Office.js cannot return as itself: #VALUE!, saying which error it was
    shown = "#VALUE!";
    text = "An input cell shows " + code + (message ? ": " + message : "") + ".";
  }
  const name = LPSA_OUTPUT_ERRORS[shown];
  if (LPSA_MESSAGE_ERRORS.has(shown) && text) {
    return new CustomFunctions.Error(CustomFunctions.ErrorCode[name], lpsaSentence(text));
  }
  return new CustomFunctions.Error(CustomFunctions.ErrorCode[name]);
}

// Hover text reads as a sentence: capital first letter, one full stop, no longer than Excel
// shows comfortably.
function lpsaSentence(text) {
  let s = String(text).replace(/\s+/g, " ").trim();
  if (s.length > 250) s = s.slice(0, 247) + "...";
  if (s && !/[.!?]$/.test(s)) s += ".";
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// An error code if `value` is an Excel error as Office.js hands it over: a
// CustomFunctions.Error (allowErrorForDataTypeAny) or an Excel.ErrorCellValue data type. Text
// that merely looks like an error ("#N/A" typed into a cell) stays text.
function lpsaErrorCode(value) {
  if (value === null || value === undefined) return null;
  if (typeof value !== "object") return null;
  if (typeof CustomFunctions !== "undefined" && typeof CustomFunctions.Error === "function" &&
      value instanceof CustomFunctions.Error) {
    return value.code || "#VALUE!";
  }
  if (value.type === "Error") {
    return value.basicValue || LPSA_ERROR_TYPES[value.errorType] || "#VALUE!";
  }
  if (typeof value.code === "string" && value.code.startsWith("#")) return value.code;
  return null;
}

// One argument as the server takes it: matrices element by element, errors as error entities
// carrying their own code (never turned into #VALUE!), blanks as null.
function lpsaArg(value) {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(lpsaArg);
  const code = typeof value === "object" ? lpsaErrorCode(value) : null;
  return code ? { type: "Error", basicValue: code } : value;
}

// One result cell as Excel takes it.
function lpsaCell(value) {
  if (value !== null && typeof value === "object" && value.type === "Error") {
    return lpsaError(value.basicValue || "#VALUE!", value.message);
  }
  return value;
}

// --- the transport: batching, a limit on requests in flight, timeout, retry ------------------

const lpsaQueue = [];
let lpsaFlushScheduled = false;
let lpsaInFlight = 0;
const lpsaWaiting = [];

function lpsaAcquire() {
  if (lpsaInFlight < LPSA_CONFIG.maxInFlight) {
    lpsaInFlight += 1;
    return Promise.resolve();
  }
  return new Promise((resolve) => lpsaWaiting.push(resolve));
}

function lpsaRelease() {
  const next = lpsaWaiting.shift();
  if (next) next();
  else lpsaInFlight -= 1;
}

function lpsaSleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

class LpsaHttpError extends Error {
  constructor(status, text) {
    super(text);
    this.status = status;
  }
}

function lpsaUrl(path) {
  const base = LPSA_CONFIG.base && !LPSA_CONFIG.base.startsWith("@")
    ? LPSA_CONFIG.base
    : (typeof location !== "undefined" ? location.origin : "");
  return base + path;
}

function lpsaHeaders() {
  const headers = { "Content-Type": "application/json" };
  if (LPSA_CONFIG.key && !LPSA_CONFIG.key.startsWith("@")) {
    headers.Authorization = "Bearer " + LPSA_CONFIG.key;
  }
  return headers;
}

// A one-line reason from an error response: the server's plain text, else what the status means.
async function lpsaReason(response) {
  let text = "";
  try {
    text = (await response.text()).trim();
  } catch (e) {
    text = "";
  }
  const plain = text && text.length <= 300 && !/^[<{\[]/.test(text) && !text.includes("\n");
  if (plain) return text;
  const meaning = {
    400: "it did not understand the request",
    401: "the request lacks the organisation's key (download the manifest again)",
    403: "the request was refused",
    404: "it does not know this function (is the server up to date?)",
    413: "the request is too large",
    429: "it is busy",
    500: "it failed",
    502: "the proxy in front of it got no answer",
    503: "it is not available",
    504: "the proxy in front of it timed out",
  };
  return meaning[response.status] || "it answered HTTP " + response.status;
}

// POST a JSON body, with a timeout, retrying (with backoff) what is safe to retry: the request
// never reached the server, timed out, or the server or its proxy was busy.
async function lpsaPost(path, body, options) {
  const opts = Object.assign({ retries: LPSA_CONFIG.retries, timeoutMs: LPSA_CONFIG.timeoutMs },
    options || {});
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await lpsaPostOnce(path, body, opts.timeoutMs);
    } catch (error) {
      const retryable = !(error instanceof LpsaHttpError) || [429, 502, 503, 504].includes(error.status);
      if (!retryable || attempt >= opts.retries) throw error;
      const jitter = Math.floor(Math.random() * LPSA_CONFIG.backoffMs / 2);
      await lpsaSleep(LPSA_CONFIG.backoffMs * 2 ** attempt + jitter);
    }
  }
}

async function lpsaPostOnce(path, body, timeoutMs) {
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      if (controller) controller.abort();
      reject(new Error("no answer within " + Math.round(timeoutMs / 1000) + " s"));
    }, timeoutMs);
  });
  try {
    const request = fetch(lpsaUrl(path), {
      method: "POST",
      headers: lpsaHeaders(),
      body: JSON.stringify(body),
      signal: controller ? controller.signal : undefined,
    });
    const response = await Promise.race([request, timeout]);
    if (!response.ok) throw new LpsaHttpError(response.status, await lpsaReason(response));
    return await Promise.race([response.json(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function lpsaFailure(error) {
  if (error instanceof LpsaHttpError) {
    return lpsaError("#N/A", "The lpsa-xl server could not compute this: " + error.message);
  }
  const why = error && error.message ? error.message : String(error);
  return lpsaError("#N/A", "The lpsa-xl server could not be reached (" + why +
    "); Excel asks again at the next recalculation");
}

async function lpsaSend(batch) {
  await lpsaAcquire();
  try {
    const data = await lpsaPost(LPSA_CONFIG.batchPath, {
      calls: batch.map((c) => ({ func_name: c.name, args: c.args, caller_address: c.address })),
    });
    const results = data && Array.isArray(data.results) ? data.results : [];
    batch.forEach((call, i) => {
      const one = results[i];
      if (one && Array.isArray(one.result)) {
        call.resolve(one.result.map((row) => row.map(lpsaCell)));
      } else {
        const reason = one && one.error ? one.error : "the server sent no result for this cell";
        call.reject(lpsaError("#VALUE!", reason));
      }
    });
  } catch (error) {
    const failure = lpsaFailure(error);
    batch.forEach((call) => call.reject(failure));
  } finally {
    lpsaRelease();
  }
}

function lpsaFlush() {
  lpsaFlushScheduled = false;
  while (lpsaQueue.length) {
    lpsaSend(lpsaQueue.splice(0, LPSA_CONFIG.maxBatch));
  }
}

// Office.js passes the invocation last (requiresAddress in the metadata).
function lpsaCall(name, args) {
  const invocation = args.length ? args[args.length - 1] : undefined;
  const values = args.slice(0, -1).map(lpsaArg);
  return new Promise((resolve, reject) => {
    lpsaQueue.push({ name, args: values, address: invocation && invocation.address,
      resolve, reject });
    if (!lpsaFlushScheduled) {
      lpsaFlushScheduled = true;
      setTimeout(lpsaFlush, 0); // every call of this recalculation joins the batch
    }
  });
}

