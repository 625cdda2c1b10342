import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's root: modules are named by their path in it (`src/cli/main.ts`). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** What one module imports: other modules of the repository by path, and packages by name. */
export interface ModuleImports {
  readonly files: readonly string[]
  readonly packages: readonly string[]
}

const STATIC = [/^(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm, /^import\s+'([^']+)'/gm]
const DYNAMIC = /\bimport\(\s*'([^']+)'\s*\)/g

/**
 * The imports of one module, read from its text: static imports and re-exports (`import type`
 * included: the layering is about what a module knows, not only what it loads) and, unless
 * `dynamic` is false, `import('…')` of a literal.
 */
export function importsOf(file: string, options: { dynamic?: boolean } = {}): ModuleImports {
  const source = readFileSync(resolve(ROOT, file), 'utf8')
  const files = new Set<string>()
  const packages = new Set<string>()
  for (const pattern of options.dynamic === false ? STATIC : [...STATIC, DYNAMIC]) {
    for (const match of source.matchAll(pattern)) {
      const specifier = match[1] as string
      if (specifier.startsWith('.')) files.add(relative(ROOT, resolve(ROOT, dirname(file), specifier)))
      else packages.add(specifier)
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() }
}

/** Every module `entry` loads, itself included, and every package they import. */
export function importClosure(entry: string, options: { dynamic?: boolean } = {}): ModuleImports {
  const files = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string) => {
    if (files.has(file)) return
    files.add(file)
    const found = importsOf(file, options)
    for (const name of found.packages) packages.add(name)
    for (const next of found.files) visit(next)
  }
  visit(relative(ROOT, resolve(ROOT, entry)))
  return { files: [...files].sort(), packages: [...packages].sort() }
}

/** The TypeScript modules under a folder of the repository, recursively, by repository path. */
export function modulesUnder(folder: string): string[] {
  const found: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(resolve(ROOT, dir)).sort()) {
      const path = join(dir, name)
      if (statSync(resolve(ROOT, path)).isDirectory()) walk(path)
      else if (name.endsWith('.ts')) found.push(path)
    }
  }
  walk(folder)
  return found
}
