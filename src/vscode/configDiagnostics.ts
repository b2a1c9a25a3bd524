/** Config errors as Problems-panel diagnostics at their exact range in the file. */
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { ConfigError, ParsedConfig } from '../config/types';

export class ConfigDiagnostics extends Disposable {
  private readonly _collection = this._register(vscode.languages.createDiagnosticCollection('switchboard'));

  update(configs: readonly ParsedConfig[]): void {
    this._collection.clear();
    for (const config of configs) {
      // Setting errors have no file to attach to; they show in the tree and the log instead.
      if (config.source.kind !== 'workspace' || !config.errors.length) continue;
      this._collection.set(vscode.Uri.file(config.source.file), config.errors.map(toDiagnostic));
    }
  }
}

export function toRange(e: ConfigError): vscode.Range {
  const r = e.range;
  // Our end position is 1-based and inclusive; VS Code's is 0-based and exclusive: the same number.
  return r.length
    ? new vscode.Range(r.line - 1, r.column - 1, r.endLine - 1, r.endColumn)
    : new vscode.Range(r.line - 1, r.column - 1, r.line - 1, r.column - 1);
}

function toDiagnostic(e: ConfigError): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(e), e.message,
    e.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error);
  d.source = 'MCP Switchboard';
  return d;
}
