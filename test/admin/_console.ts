/** Talking to the admin console over HTTP as a browser does: sign-in, pages, what a reader sees. */

export const cookieOf = (res: Response, name: string) =>
  /^([^=]+)=([^;]*)/.exec(
    res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`)) ?? "",
  )?.[2] ?? "";

export async function signIn(url: string, tenant: string, email: string, password: string) {
  const form = await fetch(`${url}/admin/login`);
  const loginCookie = cookieOf(form, "kg_login");
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? "";
  const res = await fetch(`${url}/admin/login`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: `kg_login=${loginCookie}`,
    },
    body: new URLSearchParams({ csrf, tenant, email, password }).toString(),
  });
  return { res, session: cookieOf(res, "kg_admin") };
}

export const getPage = (url: string, path: string, session: string) =>
  fetch(`${url}${path}`, { redirect: "manual", headers: { cookie: `kg_admin=${session}` } });

/**
 * The text a reader sees without clicking: no markup, no attributes (hover titles, `datetime`),
 * and nothing inside a closed `<details>` (the raw entries, one click away).
 */
export const visibleText = (page: string) =>
  page
    .replace(/<style>[\s\S]*?<\/style>/g, "")
    .replace(/<details>[\s\S]*?<\/details>/g, "")
    .replace(/<[^>]*>/g, " ")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/\s+/g, " ");

/** The numbers a page marks with `data-count`, by key. */
export const countsOf = (page: string) =>
  Object.fromEntries(
    [...page.matchAll(/data-count="([^"]+)">(\d+)</g)].map((m) => [m[1] ?? "", Number(m[2])]),
  );
