// whatsapp-web.js depends on puppeteer, whose install would download a browser.
// Collabot uses the system Chromium instead (CHROMIUM_PATH), so never download one.
module.exports = { skipDownload: true };
