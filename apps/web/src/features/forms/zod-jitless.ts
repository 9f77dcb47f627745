import { z } from "zod";

// Zod compiles a faster parser for each object schema with `new Function`, after probing whether it
// may, when the first object schema is built. The site's CSP (script-src 'self') forbids eval: the
// probe fails quietly, but the browser still reports a `securitypolicyviolation` on every form page.
// Jitless, zod neither probes nor compiles. This must run before any schema is built, so modules that
// build schemas import it first (ES modules run in import order).
z.config({ jitless: true });
