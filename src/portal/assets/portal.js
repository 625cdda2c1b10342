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
})()
