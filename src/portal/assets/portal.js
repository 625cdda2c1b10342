// The portal's own script, served by the server (CSP script-src 'self'; no inline script). Pages
// work without it; it only improves them:
// - times: the server writes each as <time datetime="…Z">…UTC</time>; here it is shown in the
//   viewer's own time zone and locale, the UTC value kept in the title;
// - confirmations: a button with data-confirm="question" asks before its form is sent.
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

  document.addEventListener('submit', (event) => {
    const button = event.submitter
    const question = button?.dataset?.confirm
    if (question && !window.confirm(question)) event.preventDefault()
  })
})()
