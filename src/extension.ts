import * as vscode from 'vscode';

// Placeholder while the features land; activate() only wires features together.
export function activate(_context: vscode.ExtensionContext): void {
  // features are registered here
}

export function deactivate(): void {
  // nothing yet
}
