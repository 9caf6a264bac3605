/**
 * An attacker's page: a form that posts `fields` to `action` (on another origin) and submits
 * itself as soon as it loads, as a cross-site request forgery does. The values are the test's
 * own plain strings, written into the HTML as they are.
 */
export function autoSubmittingForm(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input name="${name}" value="${value}">`)
    .join("");
  return `<!doctype html><title>win a prize</title>
      <form id="forged" method="post" action="${action}">${inputs}</form>
      <script>document.getElementById("forged").submit();</script>`;
}
