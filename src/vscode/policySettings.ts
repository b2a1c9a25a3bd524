/**
 * The permission settings, read from the user's (application) settings only: a workspace must not
 * widen permissions. Apart from permissions.ts, which loads the rule store, because the gateway
 * reads them as the window opens.
 */
import * as vscode from 'vscode';
import type { PolicySettings } from '../policy/types';

/** Lets tools that declare `readOnlyHint` run unasked; also decides whether the gateway passes the hint on. */
export const SETTING_AUTO_ALLOW_READ_ONLY = 'switchboard.tools.autoAllowReadOnly';

export function policySettings(): PolicySettings {
  const inspected = vscode.workspace.getConfiguration().inspect<boolean>(SETTING_AUTO_ALLOW_READ_ONLY);
  return { autoAllowReadOnly: inspected?.globalValue ?? false };
}
