// DOM building blocks of the QR login widget: styles, spinner, wrappers, overlays.
// Ids and class names are those of authing-js-sdk 3.x, so pages that style or query them keep working.

export const IDS = Object.freeze({
  defaultMount: 'authing__qrcode-root-node',
  style: '__authing-qrcode-style',
  spinner: 'authing__spinner',
  wrapper: 'authing__qrcode-wrapper',
  overlay: 'authing__retry',
  successRedirectTip: '__authing_success_redirect_tip',
  successTip: '__authing_success_tip',
  retryBtn: '__authing_retry_btn',
  failedTip: '__authing_failed_tip',
  expiredTip: '__authing_expired_tip',
  scannedTip: '__authing_scanned_tip',
});

export const CLASSES = Object.freeze({
  node: '__authing-qrcode-node',
  floating: '__authing-qrcode-floating',
  headingTip: '__authing__heading-tip',
  scannedTip: '__authing__scanned-tip',
  shadowWrap: '__authing-shadow-wrap',
  shadowLink: '__authing-shadow-a-wrap',
  wrapperCenter: '__authing-qrcode-wrapper-center',
});

const QR_SIZE = 240;

// One style sheet per document. Spinner rules are scoped to #authing__spinner so that a page's own `.spinner`
// elements are left alone; the keyframes have a prefixed name for the same reason.
const CSS = `
.${CLASSES.node}{position:relative;box-sizing:border-box}
.${CLASSES.node}.${CLASSES.floating}{position:fixed;top:50%;left:50%;width:300px;min-height:300px;transform:translate(-50%,-50%);background:#fff;border:1px solid #ddd;border-radius:4px;z-index:65535}
#${IDS.wrapper}{position:relative;display:flow-root;text-align:center}
.${CLASSES.wrapperCenter}{width:${QR_SIZE}px;margin:0 auto}
#${IDS.wrapper} img{display:block;margin-left:auto;margin-right:auto}
.${CLASSES.headingTip}{display:block;margin-top:8px;font-size:14px;line-height:1.5;color:#555}
.${CLASSES.scannedTip}{display:block;margin-top:4px;font-size:12px;line-height:1.5;color:#07c160}
.${CLASSES.shadowWrap}{position:absolute;top:0;left:50%;width:${QR_SIZE}px;height:${QR_SIZE}px;margin-left:-${QR_SIZE / 2}px;background:rgba(0,0,0,.5);display:flex;align-items:center;justify-content:center}
.${CLASSES.shadowLink}{display:flex;align-items:center;justify-content:center;box-sizing:border-box;width:100%;height:100%;padding:16px;color:#fff;font-size:16px;line-height:1.5;text-align:center;text-decoration:none;cursor:pointer}
.${CLASSES.shadowLink}:hover,.${CLASSES.shadowLink}:focus{color:#fff;text-decoration:underline}
#${IDS.spinner}{position:relative;width:40px;height:40px;margin:100px auto;z-index:1}
#${IDS.spinner}.__authing-spinner-over{position:absolute;left:50%;margin:0 0 0 -20px}
#${IDS.spinner} .spinner-container{position:absolute;width:100%;height:100%}
#${IDS.spinner} .spinner-container>div{position:absolute;width:8px;height:8px;border-radius:50%;background:#07c160;animation:__authing-bouncedelay 1.2s infinite ease-in-out both}
#${IDS.spinner} .container2{transform:rotate(30deg)}
#${IDS.spinner} .container3{transform:rotate(60deg)}
#${IDS.spinner} .circle1{top:0;left:0}
#${IDS.spinner} .circle2{top:0;right:0}
#${IDS.spinner} .circle3{right:0;bottom:0}
#${IDS.spinner} .circle4{left:0;bottom:0}
${[
  ['container2', 'circle1', -1.1], ['container3', 'circle1', -1.0], ['container1', 'circle2', -0.9],
  ['container2', 'circle2', -0.8], ['container3', 'circle2', -0.7], ['container1', 'circle3', -0.6],
  ['container2', 'circle3', -0.5], ['container3', 'circle3', -0.4], ['container1', 'circle4', -0.3],
  ['container2', 'circle4', -0.2], ['container3', 'circle4', -0.1],
].map(([c, d, s]) => `#${IDS.spinner} .${c} .${d}{animation-delay:${s}s}`).join('\n')}
@keyframes __authing-bouncedelay{0%,80%,100%{transform:scale(0)}40%{transform:scale(1)}}
`;

// Shown in place of the QR code when none could be had: an inline picture, so nothing is fetched from a CDN.
const FALLBACK_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="${QR_SIZE}" height="${QR_SIZE}" viewBox="0 0 240 240">\
<rect width="240" height="240" rx="8" fill="#f2f3f5"/>\
<g fill="none" stroke="#c9cdd4" stroke-width="8">\
<rect x="44" y="44" width="56" height="56" rx="4"/><rect x="140" y="44" width="56" height="56" rx="4"/>\
<rect x="44" y="140" width="56" height="56" rx="4"/></g>\
<g fill="#c9cdd4"><rect x="62" y="62" width="20" height="20"/><rect x="158" y="62" width="20" height="20"/>\
<rect x="62" y="158" width="20" height="20"/><rect x="140" y="140" width="20" height="20"/>\
<rect x="176" y="140" width="20" height="20"/><rect x="158" y="158" width="20" height="20"/>\
<rect x="140" y="176" width="20" height="20"/><rect x="176" y="176" width="20" height="20"/></g></svg>`;

export const FALLBACK_IMAGE = `data:image/svg+xml,${encodeURIComponent(FALLBACK_SVG)}`;

/** Adds the widget's style sheet to the document once. */
export function ensureStyles(doc) {
  if (doc.getElementById(IDS.style)) return;
  const style = doc.createElement('style');
  style.id = IDS.style;
  style.textContent = CSS;
  (doc.head || doc.documentElement).appendChild(style);
}

/**
 * The mount element: `mount` is an element id (or an element). Without an element of that id, a floating node
 * with that id is created at the end of <body>.
 *
 * @returns {{el: HTMLElement, created: boolean}}
 */
export function resolveMount(doc, mount) {
  if (mount && typeof mount === 'object' && mount.nodeType === 1) {
    mount.classList.add(CLASSES.node);
    return { el: mount, created: mount.classList.contains(CLASSES.floating) };
  }
  const id = typeof mount === 'string' && mount ? mount : IDS.defaultMount;
  const existing = doc.getElementById(id);
  if (existing) {
    existing.classList.add(CLASSES.node);
    return { el: existing, created: existing.classList.contains(CLASSES.floating) };
  }
  const el = doc.createElement('div');
  el.id = id;
  el.className = `${CLASSES.node} ${CLASSES.floating}`;
  (doc.body || doc.documentElement).appendChild(el);
  return { el, created: true };
}

function element(doc, tag, props = {}) {
  const el = doc.createElement(tag);
  if (props.id) el.id = props.id;
  if (props.className) el.className = props.className;
  if (props.html !== undefined) el.innerHTML = String(props.html);
  if (props.text !== undefined) el.textContent = String(props.text);
  return el;
}

/** The loading spinner: #authing__spinner.spinner with three containers of four dots. */
export function createSpinner(doc) {
  const spinner = element(doc, 'div', { id: IDS.spinner, className: 'spinner' });
  for (let c = 1; c <= 3; c += 1) {
    const container = element(doc, 'div', { className: `spinner-container container${c}` });
    for (let d = 1; d <= 4; d += 1) container.appendChild(element(doc, 'div', { className: `circle${d}` }));
    spinner.appendChild(container);
  }
  return spinner;
}

function image(doc, src, marginTop) {
  const img = doc.createElement('img');
  img.width = QR_SIZE;
  img.height = QR_SIZE;
  img.alt = '';
  if (marginTop) img.style.marginTop = `${marginTop}px`;
  if (src !== undefined) img.src = src;
  return img;
}

/**
 * The QR wrapper: <div id="authing__qrcode-wrapper"> with the QR <img> (src left for the caller to set, after it
 * has added its load listeners) and the heading tip (HTML: the caller's `tips` or ours).
 */
export function createQRWrapper(doc, { tipsHtml, marginTop }) {
  const wrapper = element(doc, 'div', { id: IDS.wrapper });
  const img = image(doc, undefined, marginTop);
  wrapper.appendChild(img);
  wrapper.appendChild(element(doc, 'span', { className: CLASSES.headingTip, html: tipsHtml }));
  return { wrapper, img };
}

/**
 * The wrapper shown when no QR code could be had: the fallback picture, an overlay with a retry link and a tip.
 * `tip` is `{html}` (the caller's failedTips) or `{text}` (a message from the server, never HTML).
 */
export function createFailureWrapper(doc, { linkId, linkHtml, tip, marginTop }) {
  const wrapper = element(doc, 'div', { id: IDS.wrapper, className: CLASSES.wrapperCenter });
  wrapper.appendChild(image(doc, FALLBACK_IMAGE, marginTop));
  const { overlay, link } = createOverlay(doc, { linkId, html: linkHtml, top: marginTop });
  wrapper.appendChild(overlay);
  const tipEl = element(doc, 'span', { className: CLASSES.headingTip, ...tip });
  wrapper.appendChild(tipEl);
  return { wrapper, link, tipEl };
}

/** The 240×240 overlay over the QR code: <div id="authing__retry"> holding one link. */
export function createOverlay(doc, { linkId, html, text, top }) {
  const overlay = element(doc, 'div', { id: IDS.overlay, className: CLASSES.shadowWrap });
  if (top) overlay.style.top = `${top}px`;
  const link = element(doc, 'a', { id: linkId, className: CLASSES.shadowLink, html, text });
  link.href = '#';
  link.setAttribute('role', 'button');
  overlay.appendChild(link);
  return { overlay, link };
}
