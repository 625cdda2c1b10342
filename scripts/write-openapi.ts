import { writeFileSync } from 'node:fs'
import { generateOpenApiDocument } from './openapi-document.ts'

// Regenerates openapi.json from the route schemas. Commit the result: a test fails when it is stale.
writeFileSync(new URL('../openapi.json', import.meta.url), await generateOpenApiDocument())
console.log('openapi.json written')
