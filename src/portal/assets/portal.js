// The portal's own script, served by the server (CSP script-src 'self'; no inline script). Pages
// work without it; it only improves them:
// - times: the server writes each as <time datetime="…Z">…UTC</time>; here it is shown in the
//   viewer's own time zone and locale, the UTC value kept in the title;
// - confirmations: a button with data-confirm="question" asks before its form is sent;
// - problems of a draft: a link with data-find="key" selects that key in the JSON text area.
;(() => {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })

  function localizeTimes(root) {
    for (const element of root.querySelectorAll('time[datetime]')) {
      if (element.dataset.localized === 'true') continue
      const date = new Date(element.getAttribute('datetime'))
      if (Number.isNaN(date.getTime())) continue
      element.title = element.textContent.trim()
      element.textContent = format.format(date)
      element.dataset.localized = 'true'
    }
  }

  document.addEventListener('DOMContentLoaded', () => localizeTimes(document))
  // htmx announces every piece of content it adds (swaps, server-sent events).
  document.addEventListener('htmx:load', (event) => localizeTimes(event.target))

  document.addEventListener('click', (event) => {
    const link = event.target.closest?.('a[data-find]')
    const area = link && document.getElementById((link.getAttribute('href') ?? '').slice(1))
    const key = link?.dataset.find
    if (!area || !('setSelectionRange' in area) || !key) return
    const quoted = JSON.stringify(key)
    const at = area.value.indexOf(quoted)
    if (at === -1) return
    event.preventDefault()
    area.focus()
    area.setSelectionRange(at, at + quoted.length)
  })

  document.addEventListener('submit', (event) => {
    const button = event.submitter
    const question = button?.dataset?.confirm
    if (question && !window.confirm(question)) event.preventDefault()
  })

  // Live regions (data-poll-url beside sse-connect): the server pushes each change over
  // server-sent events. Where the browser has no EventSource, or while the stream fails (the
  // server refuses more than a few live pages per principal), the region's panel is asked for
  // every few seconds instead, with the stamp the page shows (data-stamp): the server answers 204
  // while nothing changed, so nothing is swapped (a form being filled in stays), else the panel,
  // the status line out of band and the new stamp in a header. The stream coming back stops it.
  const POLL_MS = 5000
  const polling = new WeakMap()

  function startPolling(live) {
    if (polling.has(live)) return
    const target = live.querySelector('[sse-swap="publishing"]')
    if (!target || typeof htmx === 'undefined') return
    const poll = () => {
      const url = `${live.dataset.pollUrl}?since=${encodeURIComponent(live.dataset.stamp ?? '')}`
      htmx.ajax('GET', url, { target, swap: 'innerHTML' })
    }
    polling.set(live, setInterval(poll, POLL_MS))
  }

  document.addEventListener('htmx:afterRequest', (event) => {
    const live = event.target.closest?.('[data-poll-url]')
    const stamp = event.detail.xhr?.getResponseHeader('x-publishing-stamp')
    if (live && stamp) live.dataset.stamp = stamp
  })

  function stopPolling(live) {
    clearInterval(polling.get(live))
    polling.delete(live)
  }

  // This deferred script runs before htmx processes the page (on DOMContentLoaded): without
  // EventSource the sse extension must not even try, and the region polls instead.
  if (!('EventSource' in window)) {
    for (const live of document.querySelectorAll('[data-poll-url]')) {
      live.removeAttribute('hx-ext')
      document.addEventListener('DOMContentLoaded', () => startPolling(live))
    }
  }
  document.addEventListener('htmx:sseError', (event) => {
    const live = event.target.closest('[data-poll-url]')
    if (live) startPolling(live)
  })
  // Leaving the page: its streams are closed first, or the browser reports each one it aborts as
  // an error. htmx keeps an element's EventSource in its internal data, where the sse extension
  // itself closes it when the element goes.
  window.addEventListener('pagehide', () => {
    for (const element of document.querySelectorAll('[sse-connect]')) {
      element['htmx-internal-data']?.sseEventSource?.close()
    }
  })
  document.addEventListener('htmx:sseOpen', (event) => {
    const live = event.target.closest('[data-poll-url]')
    if (live) stopPolling(live)
  })
})()
