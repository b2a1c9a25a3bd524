/**
 * JSON paths as findings and variables name them. Kept apart from validate.ts, which needs zod:
 * resolving variables must not load the validator.
 */

export type JsonPath = (string | number)[];

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/**
 * `servers.weather.args[1]`; keys that are not plain identifiers are quoted, so a server named
 * `my.server` reads `servers["my.server"]` instead of looking like two levels.
 */
export function formatJsonPath(path: JsonPath, root = ''): string {
  let out = root;
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
