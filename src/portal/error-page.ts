import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ApiError } from '../errors/api-error.ts'
import { toApiError } from '../errors/error-handler.ts'
import { errors } from '../errors/errors.ts'
import { isStorageFull } from '../errors/storage-full.ts'
import { type Html, html } from './html.ts'
import type { Layout } from './layout.ts'

/** What a person is told first, by status; the API's own message follows. */
const HEADINGS: Readonly<Record<number, string>> = {
  400: 'The request could not be used',
  401: 'Sign-in needed',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  412: 'Changed meanwhile',
  413: 'Too large',
  422: 'Not accepted',
  429: 'Too many requests',
  500: 'Something went wrong on the server',
  503: 'Temporarily unavailable',
  507: 'The store is full',
}

/**
 * Every failure of a portal page becomes a readable page, never a blank one or a JSON body: the
 * error is turned into the ApiError the API would answer (its status, code and message), and shown
 * in the layout. An htmx request gets the message as a fragment aimed at the page's message area.
 * CSRF refusals get their own words: the usual cause is a form left open across a sign-out.
 */
export function installErrorPages(
  app: FastifyInstance,
  options: { layout: Layout; prefix: string; bodyLimit: number },
): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = portalErrorOf(error, request, options)
    if (apiError.statusCode >= 500 && apiError.statusCode !== 503)
      request.log.error({ err: error }, 'portal page failed')
    return sendError(request, reply, options, apiError)
  })
  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      options,
      errors.routeNotFound(request.method, request.url.split('?')[0] as string),
    ),
  )
}

function portalErrorOf(
  error: FastifyError,
  request: FastifyRequest,
  options: { bodyLimit: number },
): ApiError {
  if (error.code === 'FST_CSRF_MISSING_SECRET' || error.code === 'FST_CSRF_INVALID_TOKEN') {
    return errors.badRequest(
      'This form was not sent from a page of this portal, or it expired (after a sign-in or sign-out). Reload the page and send it again.',
    )
  }
  if (isStorageFull(error)) return errors.insufficientStorage()
  return toApiError(error, request, options)
}

/** The heading a person reads for an error's status. */
export function headingOf(error: ApiError): string {
  return HEADINGS[error.statusCode] ?? 'Error'
}

/** An error as a message box; `heading: false` where the page's own heading already says it. */
export function errorNotice(error: ApiError, requestId: string, heading = true): Html {
  return html`<div class="notice error" role="alert">
  ${heading && html`<h2>${headingOf(error)}</h2>`}
  <p>${error.message}</p>
  <p class="muted">Status ${error.statusCode} · <code>${error.code}</code>${
    error.statusCode >= 500 ? html` · request id <code>${requestId}</code>` : ''
  }</p>
</div>`
}

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  { layout, prefix }: { layout: Layout; prefix: string },
  error: ApiError,
): FastifyReply {
  reply.headers(error.headers)
  if (request.headers['hx-request'] === 'true') {
    return reply
      .code(error.statusCode)
      .header('hx-retarget', '#portal-messages')
      .header('hx-reswap', 'innerHTML')
      .type('text/html; charset=utf-8')
      .send(errorNotice(error, String(request.id)).toString())
  }
  try {
    return sendErrorPage(request, reply, { layout, prefix }, error)
  } catch (failure) {
    // The layout itself failed (a bug): still a readable page, never the API's JSON.
    request.log.error({ err: failure }, 'the portal could not render its error page')
    return reply
      .code(error.statusCode)
      .type('text/html; charset=utf-8')
      .send(
        html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error · cloudpartner portal</title></head><body><main><h1>${headingOf(error)}</h1><p>${error.message}</p><p><a href="${prefix}">Back to the portal</a></p></main></body></html>`.toString(),
      )
  }
}

function sendErrorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  { layout, prefix }: { layout: Layout; prefix: string },
  error: ApiError,
): FastifyReply {
  const back = request.viewer
    ? html`<p><a href="${prefix}">Back to the portal's start</a></p>`
    : html`<p><a href="${prefix}/sign-in">Sign in</a></p>`
  return layout.send(
    request,
    reply,
    { title: headingOf(error), main: html`${errorNotice(error, String(request.id), false)}${back}` },
    error.statusCode,
  )
}
