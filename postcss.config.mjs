// Tailwind CSS for the admin console (app/admin/admin.css); the public pages' CSS has no Tailwind in it.
const config = { plugins: { "@tailwindcss/postcss": {} } };

export default config;
