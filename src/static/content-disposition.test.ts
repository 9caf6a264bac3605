import { test } from "node:test";
import assert from "node:assert/strict";
import { contentDisposition } from "./content-disposition.js";

test("a plain ASCII name needs only filename", () => {
  assert.equal(contentDisposition("attachment", "report.pdf"), 'attachment; filename="report.pdf"');
  assert.equal(contentDisposition("inline", "a b.txt"), 'inline; filename="a b.txt"');
  assert.equal(contentDisposition("attachment"), "attachment");
});

test("non-ASCII and special characters get an ASCII fallback and filename*", () => {
  assert.equal(
    contentDisposition("attachment", "résumé 2024.pdf"),
    `attachment; filename="r_sum_ 2024.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%202024.pdf`,
  );
  assert.equal(
    contentDisposition("attachment", 'say "hi" 100%.txt'),
    `attachment; filename="say _hi_ 100_.txt"; filename*=UTF-8''say%20%22hi%22%20100%25.txt`,
  );
  assert.equal(
    contentDisposition("attachment", "日本.txt"),
    `attachment; filename="__.txt"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt`,
  );
});

test("header injection and directory parts are neutralised", () => {
  assert.equal(
    contentDisposition("attachment", "a\r\nSet-Cookie: x=1"),
    `attachment; filename="a__Set-Cookie: x=1"; filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3D1`,
  );
  assert.equal(contentDisposition("attachment", "../../etc/passwd"), 'attachment; filename="passwd"');
  assert.equal(contentDisposition("attachment", "C:\\Users\\x\\evil.exe"), 'attachment; filename="evil.exe"');
});
