/**
 * The `post-valid` scenario's schema: the 1 KiB order document of wrk/post-order.lua, as zod
 * (frank, Hono's zValidator, h3, Express, node:http) and as JSON Schema (Fastify's own way).
 * Each target validates it, then answers `{ order, items }` from the validated value.
 */
import * as z from "zod";

export const Order = z.object({
  order: z.string().min(1),
  items: z
    .array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        price: z.number().nonnegative(),
        tags: z.array(z.string()),
      }),
    )
    .min(1),
  note: z.string().max(2000),
});

export const ORDER_JSON_SCHEMA = {
  type: "object",
  required: ["order", "items", "note"],
  properties: {
    order: { type: "string", minLength: 1 },
    items: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["id", "name", "price", "tags"],
        properties: {
          id: { type: "integer" },
          name: { type: "string" },
          price: { type: "number", minimum: 0 },
          tags: { type: "array", items: { type: "string" } },
        },
      },
    },
    note: { type: "string", maxLength: 2000 },
  },
} as const;

export function orderSummary(order: z.infer<typeof Order>): { order: string; items: number } {
  return { order: order.order, items: order.items.length };
}
