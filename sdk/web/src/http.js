// JSON requests over fetch, with a timeout and a way to cancel.

/**
 * An error of the transport: the network failed, the request timed out, the server answered with an HTTP
 * error status, or the body was not JSON. `onError` receives it when the QR code request fails.
 */
export class RequestError extends Error {
  /**
   * @param {string} message
   * @param {{kind: 'network'|'timeout'|'http'|'parse'|'abort', url: string, status?: number, cause?: unknown}} info
   */
  constructor(message, info) {
    super(message);
    this.name = 'RequestError';
    this.kind = info.kind;
    this.url = info.url;
    this.status = info.status;
    if (info.cause !== undefined) this.cause = info.cause;
  }
}

/**
 * Sends a CORS "simple" request (no custom headers, no body) and parses the JSON answer.
 *
 * @param {string} url
 * @param {{method?: 'GET'|'POST', timeout?: number, signal?: AbortSignal}} [options]
 * @returns {Promise<any>}
 */
export function requestJson(url, { method = 'GET', timeout = 0, signal } = {}) {
  const g = globalThis;
  if (typeof g.fetch !== 'function') {
    return Promise.reject(new RequestError('fetch is not available', { kind: 'network', url }));
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    let timer = null;
    const controller = typeof g.AbortController === 'function' ? new g.AbortController() : null;
    const finish = (fn, value) => {
      if (settled) return;
      settled = true;
      if (timer !== null) g.clearTimeout(timer);
      if (signal) signal.removeEventListener('abort', onAbort);
      fn(value);
    };
    const onAbort = () => {
      if (controller) controller.abort();
      finish(reject, new RequestError('request aborted', { kind: 'abort', url }));
    };
    if (signal) {
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort);
    }
    if (timeout > 0) {
      timer = g.setTimeout(() => {
        timer = null;
        if (controller) controller.abort();
        finish(reject, new RequestError(`timeout of ${timeout}ms exceeded`, { kind: 'timeout', url }));
      }, timeout);
    }
    const init = { method, credentials: 'omit', cache: 'no-store' };
    if (controller) init.signal = controller.signal;
    let pending;
    try {
      pending = Promise.resolve(g.fetch(url, init));
    } catch (cause) {
      pending = Promise.reject(cause);
    }
    pending.then(
      (response) => {
        if (settled) return;
        if (!response || !response.ok) {
          const status = response ? response.status : 0;
          finish(reject, new RequestError(`HTTP ${status}`, { kind: 'http', url, status }));
          return;
        }
        Promise.resolve()
          .then(() => response.json())
          .then(
            (body) => finish(resolve, body),
            (cause) =>
              finish(reject, new RequestError('the answer is not JSON', { kind: 'parse', url, status: response.status, cause })),
          );
      },
      (cause) => {
        finish(reject, new RequestError(cause && cause.message ? cause.message : 'network error', { kind: 'network', url, cause }));
      },
    );
  });
}
