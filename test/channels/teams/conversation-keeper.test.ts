import { expect, it } from "vitest";
import {
  conversationKeeper,
  sameJson,
  teamsConversations,
} from "../../../src/channels/teams/conversation-keeper.js";
import type { Database } from "../../../src/store/db.js";
import { findConversation } from "../../../src/store/repos/conversations.js";
import { testClock } from "../../_util.js";
import { forEachDialect } from "../../store/_util.js";

const reference = (serviceUrl: string) => ({
  serviceUrl,
  conversation: { id: "a:1personal", isGroup: false, conversationType: "personal", name: "" },
  user: { id: "29:1", aadObjectId: "oid-1", name: "" },
});

it("an unchanged reference is written once per refresh period; a changed one at once", async () => {
  const clock = testClock();
  const writes: string[] = [];
  const keep = conversationKeeper(
    (tenantId, personId, r) => {
      writes.push(`${tenantId}/${personId} ${(r as { serviceUrl: string }).serviceUrl}`);
      return Promise.resolve();
    },
    clock,
    { max: 2, refreshMs: 60_000 },
  );
  const A = reference("https://smba.trafficmanager.net/jp/");
  const B = reference("https://smba.trafficmanager.net/apac/");
  await keep("city-a", "aad:1", A);
  await keep("city-a", "aad:1", { ...A }); // the same content in a new object
  await keep("city-b", "aad:1", A); // another tenant's person is another person
  expect(writes).toEqual([
    "city-a/aad:1 https://smba.trafficmanager.net/jp/",
    "city-b/aad:1 https://smba.trafficmanager.net/jp/",
  ]);
  await keep("city-a", "aad:1", B);
  expect(writes.at(-1)).toBe("city-a/aad:1 https://smba.trafficmanager.net/apac/");
  clock.advance(60_000);
  await keep("city-a", "aad:1", B);
  expect(writes).toHaveLength(4);
  // Two people remembered at most: a third pushes out the least recently seen (city-b's).
  await keep("city-a", "aad:2", A);
  await keep("city-a", "aad:1", B); // still remembered
  expect(writes).toHaveLength(5);
  await keep("city-b", "aad:1", A); // forgotten, so written again
  expect(writes).toHaveLength(6);
});

it("a write that failed is not remembered: the next turn writes again", async () => {
  let fail = true;
  let attempts = 0;
  const keep = conversationKeeper(() => {
    attempts++;
    return fail ? Promise.reject(new Error("store down")) : Promise.resolve();
  }, testClock());
  const A = reference("https://smba.trafficmanager.net/jp/");
  await expect(keep("city-a", "aad:1", A)).rejects.toThrow("store down");
  fail = false;
  await keep("city-a", "aad:1", A);
  await keep("city-a", "aad:1", A);
  expect(attempts).toBe(2);
});

forEachDialect("the Teams bot's conversation references in the store", (store) => {
  it("keeps the latest reference without the activity id", async () => {
    const db: Database = await store.open();
    const remember = teamsConversations(db.kysely, testClock());
    await remember("city-a", "aad:1", { ...reference("https://a.example/"), activityId: "f:1" });
    await remember("city-a", "aad:1", { ...reference("https://b.example/"), activityId: "f:2" });
    expect(await findConversation(db.kysely, "city-a", "aad:1", "teams")).toEqual(
      reference("https://b.example/"),
    );
  });
});

it("compares references as JSON: a property holding undefined is absent, order does not matter", () => {
  expect(sameJson({ a: 1, b: { c: [1, "x"] } }, { b: { c: [1, "x"] }, a: 1 })).toBe(true);
  expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
  expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(true);
  expect(sameJson({ a: 1 }, { a: 1, b: null })).toBe(false);
  expect(sameJson({ a: { b: 1 } }, { a: { b: 1, c: 2 } })).toBe(false);
  expect(sameJson({ a: [1, 2] }, { a: [1, 2, 3] })).toBe(false);
  expect(sameJson({ a: [] }, { a: {} })).toBe(false);
  expect(sameJson({ a: "1" }, { a: 1 })).toBe(false);
  expect(sameJson(null, {})).toBe(false);
});

it("a reference changed in place after it was written is still seen as changed", async () => {
  const writes: string[] = [];
  const keep = conversationKeeper((_, __, r) => {
    writes.push((r as { serviceUrl: string }).serviceUrl);
    return Promise.resolve();
  }, testClock());
  const A = reference("https://smba.trafficmanager.net/jp/");
  await keep("city-a", "aad:1", A);
  A.serviceUrl = "https://smba.trafficmanager.net/apac/";
  await keep("city-a", "aad:1", A);
  expect(writes).toEqual([
    "https://smba.trafficmanager.net/jp/",
    "https://smba.trafficmanager.net/apac/",
  ]);
});
