// The admin API as the console calls it: JSON in and out, the session cookie sent by the browser, the CSRF token on
// every change, and errors as ApiError with the server's code and message.

const BASE = '/api/v1/admin';
let csrfToken = '';

/** An error the admin API answered (or the network gave: status 0). */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Remembers the session's CSRF token (from sign-in or whoami). */
export function useCsrfToken(token) {
  csrfToken = token || '';
}

/**
 * Calls the admin API: `body` is sent as JSON, or as it is when it is a Blob or File. Resolves the parsed JSON
 * (null for 204), or the Blob for `{ blob: true }`.
 */
export async function api(method, path, body, { blob = false } = {}) {
  const headers = {};
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  let payload;
  if (body instanceof Blob) {
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(BASE + path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch (error) {
    throw new ApiError(0, 0, String(error));
  }
  if (!response.ok) {
    const reply = await response.json().catch(() => ({}));
    throw new ApiError(response.status, reply.code || 0, reply.message || response.statusText);
  }
  if (blob) return response.blob();
  if (response.status === 204) return null;
  return response.json();
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
export const patch = (path, body) => api('PATCH', path, body);
export const put = (path, body) => api('PUT', path, body);
export const del = (path, body) => api('DELETE', path, body);

/** A query string of the given values, leaving out empty ones. */
export function query(values) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A path segment, escaped. */
export const seg = encodeURIComponent;
