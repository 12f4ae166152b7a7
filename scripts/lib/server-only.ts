// Scripts (worker, seed, demo) run outside React's server environment, where
// the real `server-only` package would throw. They are server code all the same.
export {};
