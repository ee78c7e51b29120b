// History-API routing: the address bar is the state (path + query), so reloads and deep links work.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { QueryValue } from "./api.ts";

const NAV_EVENT = "backlog:navigate";

export interface Loc {
  path: string;
  query: URLSearchParams;
}

function current(): Loc {
  return { path: location.pathname.replace(/\/+$/, "") || "/", query: new URLSearchParams(location.search) };
}

/** The current location; re-renders on back/forward and on navigate(). */
export function useLocation(): Loc {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const on = () => setLoc(current());
    addEventListener("popstate", on);
    addEventListener(NAV_EVENT, on);
    return () => {
      removeEventListener("popstate", on);
      removeEventListener(NAV_EVENT, on);
    };
  }, []);
  return loc;
}

export function navigate(to: string, replace = false): void {
  if (to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, "", to);
  else {
    history.pushState(null, "", to);
    scrollTo(0, 0);
  }
  dispatchEvent(new Event(NAV_EVENT));
}

/** Rewrites the query string in place; `undefined`, "" and [] remove a key. Keeps ?project. */
export function setQuery(patch: Record<string, QueryValue>, replace = true): void {
  const q = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(patch)) {
    q.delete(k);
    if (v === undefined || v === null || v === "" || v === false) continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(k, String(x)));
    else q.set(k, String(v));
  }
  const s = q.toString();
  navigate(location.pathname + (s ? `?${s}` : ""), replace);
}

/** A path that keeps the selected project in the query. */
export function withProject(path: string, project: string): string {
  return project ? `${path}${path.includes("?") ? "&" : "?"}project=${encodeURIComponent(project)}` : path;
}

export function Link(
  { href, children, class: cls, title }: {
    href: string;
    children: ComponentChildren;
    class?: string;
    title?: string;
  },
) {
  return (
    <a
      href={href}
      class={cls}
      title={title}
      onClick={(e) => {
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
