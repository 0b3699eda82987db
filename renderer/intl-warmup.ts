// A worker that uses Intl once and says so. The first Intl call in a page builds the browser's table of available
// locales: 30 to 60 ms that cannot be split, which would freeze the console in the middle of loading its first
// screen. The table is shared by every thread of the page's process, so built here, off the main thread, the
// console's own first formatter costs under a millisecond.

(1234).toLocaleString();
new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(0);
'a'.localeCompare('b');
postMessage('warm');
