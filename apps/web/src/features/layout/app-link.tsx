import { createLink } from "@tanstack/react-router";
import { Anchor } from "@tsbin/ui/anchor";

/**
 * The shared `Anchor` with the router's typed `to`, `params` and `search`: client-side navigation,
 * preloading on hover, and a real `href` for middle click and "copy link".
 */
export const AppLink = createLink(Anchor);
