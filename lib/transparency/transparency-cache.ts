/** /transparency.json is public and the same for everyone: a shared cache may keep it five minutes, a browser one (docs/transparency.md). */
export const TRANSPARENCY_CACHE_CONTROL = "public, max-age=60, s-maxage=300";
