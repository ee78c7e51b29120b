/**
 * Passwords and SCRAM-SHA-256 for the wire client (wire.ts), on WebCrypto. The password is looked up
 * as `pg` does: the URL's, else $PGPASSWORD, else the first matching line of $PGPASSFILE or
 * ~/.pgpass (`host:port:database:user:password`, `*` matches anything, `\:` and `\\` escaped; the
 * file is ignored unless only its owner can read it).
 */
import type { PgUrl } from "./connection.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

export async function passwordFor(
  url: PgUrl,
  env: { get(key: string): string | undefined } = Deno.env,
): Promise<string | undefined> {
  if (url.password) return url.password;
  const fromEnv = env.get("PGPASSWORD");
  if (fromEnv) return fromEnv;
  const file = env.get("PGPASSFILE") ?? `${env.get("HOME") ?? "."}/.pgpass`;
  let text: string;
  try {
    const st = await Deno.stat(file);
    if (!st.isFile || (st.mode !== null && (st.mode & 0o077) !== 0)) return undefined;
    text = await Deno.readTextFile(file);
  } catch {
    return undefined;
  }
  const want = [url.host, String(url.port), url.database, url.user];
  for (const line of text.split(/\r?\n/)) {
    if (!line || /^\s*#/.test(line)) continue;
    const fields = pgpassFields(line);
    if (fields.length !== 5 || !fields[4]) continue;
    const ok = want.every((w, i) =>
      fields[i] === "*" || (i === 1 ? Number(fields[i]) === Number(w) : fields[i] === w)
    );
    if (ok) return fields[4];
  }
  return undefined;
}

/** One .pgpass line's fields: split on unescaped `:` (the fifth field takes the rest), unescaped. */
export function pgpassFields(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\" && (line[i + 1] === ":" || line[i + 1] === "\\")) cur += line[++i];
    else if (c === ":" && out.length < 4) out.push(cur), cur = "";
    else cur += c;
  }
  out.push(cur);
  return out;
}

// The built-in base64 of Uint8Array: `btoa`'s first call costs ~1.5 ms in Deno 2.9 (a CLI pays it once).
const b64 = (b: Uint8Array) => (b as Uint8Array & { toBase64(): string }).toBase64();
const unb64 = (s: string) =>
  (Uint8Array as unknown as { fromBase64(s: string): Uint8Array<ArrayBuffer> }).fromBase64(s);

async function hmac(key: Uint8Array<ArrayBuffer>, data: string): Promise<Uint8Array<ArrayBuffer>> {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, enc.encode(data)));
}

/** Builds a password message ('p'): type byte, length, body. */
function pMsg(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 5);
  out[0] = 0x70;
  new DataView(out.buffer).setInt32(1, body.length + 4);
  out.set(body, 5);
  return out;
}

interface ScramState {
  nonce: string;
  clientFirstBare: string;
  serverSignature?: Promise<Uint8Array<ArrayBuffer>>;
}
const states = new WeakMap<object, ScramState>();

/**
 * One SCRAM step for an authentication request of `type` (10 SASL, 11 continue, 12 final) on the
 * connection identified by `conn`: the message to send, or null (after verifying the server's final
 * signature). Channel binding is not used (`n,,`), as libpq does without TLS.
 */
export async function scramStep(
  conn: object,
  type: number,
  body: Uint8Array,
  password: string,
): Promise<Uint8Array | null> {
  if (type === 10) {
    const mechs = dec.decode(body).split("\0");
    if (!mechs.includes("SCRAM-SHA-256")) {
      throw new Error(`SASL: no supported mechanism (${mechs.join(" ")})`);
    }
    const nonce = b64(crypto.getRandomValues(new Uint8Array(18)));
    const clientFirstBare = `n=*,r=${nonce}`;
    states.set(conn, { nonce, clientFirstBare });
    const first = enc.encode(`n,,${clientFirstBare}`);
    const mech = enc.encode("SCRAM-SHA-256\0");
    const msg = new Uint8Array(mech.length + 4 + first.length);
    msg.set(mech);
    new DataView(msg.buffer).setInt32(mech.length, first.length);
    msg.set(first, mech.length + 4);
    return pMsg(msg);
  }
  const st = states.get(conn);
  if (!st) throw new Error("SASL: unexpected message");
  if (type === 11) {
    const serverFirst = dec.decode(body);
    const attrs = new Map(serverFirst.split(",").map((kv) => [kv[0], kv.slice(2)] as const));
    const r = attrs.get("r") ?? "", s = attrs.get("s"), i = Number(attrs.get("i"));
    if (!r.startsWith(st.nonce) || r === st.nonce) {
      throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: bad nonce");
    }
    if (!s || !(i > 0)) throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: missing salt or iterations");
    const key = await crypto.subtle.importKey(
      "raw",
      enc.encode(password.normalize("NFKC")),
      "PBKDF2",
      false,
      [
        "deriveBits",
      ],
    );
    const salted = new Uint8Array(
      await crypto.subtle.deriveBits(
        { name: "PBKDF2", hash: "SHA-256", salt: unb64(s), iterations: i },
        key,
        256,
      ),
    );
    const clientKey = await hmac(salted, "Client Key");
    const storedKey = new Uint8Array(await crypto.subtle.digest("SHA-256", clientKey));
    const withoutProof = `c=biws,r=${r}`;
    const authMessage = `${st.clientFirstBare},${serverFirst},${withoutProof}`;
    const sig = await hmac(storedKey, authMessage);
    const proof = clientKey.map((x, k) => x ^ sig[k]);
    // The server's expected signature is worked out while the proof travels (checked at type 12).
    st.serverSignature = hmac(salted, "Server Key").then((k) => hmac(k, authMessage));
    void st.serverSignature.catch(() => {}); // a failure shows when type 12 awaits it
    return pMsg(enc.encode(`${withoutProof},p=${b64(proof)}`));
  }
  // 12: the server's signature must match what the password implies.
  const v = dec.decode(body).match(/(?:^|,)v=([^,]+)/)?.[1];
  states.delete(conn);
  if (!v || !st.serverSignature || b64(await st.serverSignature) !== v) {
    throw new Error("SASL: SCRAM-SERVER-FINAL-MESSAGE: server signature does not match");
  }
  return null;
}
