// Replaces Astro's image endpoint (/_image): the site serves no transformed images, and the
// default endpoint answered 500 to a bad href. Every request there is an unknown page.
import type { APIRoute } from "astro";

export const prerender = false;

export const ALL: APIRoute = (context) => context.rewrite("/404");
