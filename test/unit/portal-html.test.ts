import assert from 'node:assert/strict'
import { test } from 'node:test'
import { html } from '../../src/portal/html.ts'
import { timeOf } from '../../src/portal/time.ts'

test('html escapes every interpolated value, in content and in attributes', () => {
  const hostile = `<script>alert("x")</script>' onmouseover='x' &amp;`
  const rendered = html`<p title="${hostile}">${hostile}</p>`.toString()
  assert.equal(
    rendered,
    '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x&#39; &amp;amp;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x&#39; &amp;amp;</p>',
  )
})

test('html nests fragments as they are, joins arrays, and renders nothing for null, undefined and false', () => {
  const items = ['a<b', 'c']
  const rendered = html`<ul>${items.map((item) => html`<li>${item}</li>`)}</ul>${null}${undefined}${false}${0}`
  assert.equal(rendered.toString(), '<ul><li>a&lt;b</li><li>c</li></ul>0')
})

test('times are written in UTC with a machine-readable datetime for the browser to localize', () => {
  assert.equal(
    timeOf('2026-11-21T10:00:00.1234567Z').toString(),
    '<time datetime="2026-11-21T10:00:00.123Z">2026-11-21 10:00:00 UTC</time>',
  )
  assert.match(timeOf(undefined).toString(), /—/)
})
