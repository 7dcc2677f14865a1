// The page's script: the mtcgk core bundled for browsers (`npm run build:web` writes ./mtcgk.js).
import { defaultGrammar, dissectFull, parseKeys, readHexLines, SecuritySession, walk } from './mtcgk.js';

const $ = (id) => document.getElementById(id);

/** Names of the messages in a decoded value, outermost first (a protected message shows its inner one). */
function messageNames(value) {
  const names = [];
  const visit = (v) => {
    if (!v || typeof v !== 'object') return;
    if (typeof v.message === 'string' && v.message !== 'security_protected_nas_message') names.push(defaultGrammar().messages.get(v.message)?.label ?? v.message);
    for (const c of Object.values(v)) visit(c);
  };
  visit(value);
  return names.length ? names.join(', ') : value?.message === 'security_protected_nas_message' ? '(ciphered)' : 'unknown';
}

/** The tree as indented text, as `mtcgk -V` shows it (without bit prefixes). */
function treeText(node, depth = 0) {
  const lines = [`${'    '.repeat(depth)}${node.display}`];
  for (const e of node.expert) lines.push(`${'    '.repeat(depth + 1)}[Expert: ${e.severity}/${e.group}: ${e.message}]`);
  for (const c of node.children) lines.push(treeText(c, depth + 1));
  return lines.join('\n');
}

function decodeAll() {
  const body = $('frames').tBodies[0];
  body.replaceChildren();
  $('tree').textContent = '';
  try {
    const keysText = $('keys').value.trim();
    // One session for the whole paste: NAS COUNT and the algorithms of a Security Mode Command carry over.
    const session = new SecuritySession(keysText ? parseKeys(keysText, 'keys') : undefined);
    const frames = readHexLines($('hex').value, 'input');
    const results = frames.map((f) => dissectFull(f.bytes, $('protocol').value, { session, direction: f.direction }));
    results.forEach((r, i) => {
      const nodes = [...walk(r.tree)];
      const mac = nodes.find((n) => n.filter === 'nas_eps.msg_auth_code.status' || n.filter === 'gmsg.mac.status')?.show ?? '';
      const row = body.insertRow();
      row.dataset.index = String(i);
      for (const text of [String(i + 1), (frames[i].direction ?? '-').toUpperCase(), messageNames(r.value), mac, r.expert.map((e) => e.id).join(' ')]) {
        row.insertCell().textContent = text;
      }
      row.cells[3].className = mac;
      row.addEventListener('click', () => show(i));
    });
    const show = (i) => {
      for (const row of body.rows) row.classList.toggle('selected', row.dataset.index === String(i));
      $('tree').textContent = treeText(results[i].tree);
    };
    if (results.length) show(results.length - 1);
    $('status').textContent = `${results.length} message${results.length === 1 ? '' : 's'} decoded`;
  } catch (e) {
    $('status').textContent = `error: ${e.message}`;
  }
}

$('decode').addEventListener('click', decodeAll);
decodeAll();
document.body.dataset.ready = 'true';
