// The README's section on connector providers, written from the providers' own declarations so the two cannot
// drift apart (test/readme-providers.test.ts compares them; WRITE_README=1 rewrites the section).
import type { ConnectorProviderDescription } from '../../../shared/api/types.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function shown(value: unknown): string {
  return value === undefined ? '' : `\`${JSON.stringify(value)}\``;
}

export function providersMarkdown(providers: readonly ConnectorProviderDescription[]): string {
  const out: string[] = [];
  for (const p of providers) {
    out.push(`#### \`${p.providerName}\` (${p.urlMarkers.join(', ') || 'no integration service'})`, '', p.description, '');
    out.push(
      `Endpoint (${p.endpoint.kind}${p.endpoint.required ? ', required' : ''}): ${p.endpoint.description}${p.endpoint.example ? ` Example: \`${p.endpoint.example}\`.` : ''}`,
      '',
    );
    if (p.configurationProperties.length === 0) out.push('Configuration properties: none.', '');
    else {
      out.push('| property | type | default | description |', '| --- | --- | --- | --- |');
      for (const c of p.configurationProperties) {
        const choices = c.allowedValues?.length ? ` One of ${c.allowedValues.join(', ')}.` : '';
        const bounds = c.minimum !== undefined || c.maximum !== undefined ? ` From ${c.minimum ?? '…'} to ${c.maximum ?? '…'}.` : '';
        out.push(
          `| \`${c.name}\`${c.required ? ' (required)' : ''} | ${c.type} | ${shown(c.default)} | ${cell(c.description + choices + bounds)} |`,
        );
      }
      out.push('');
    }
    out.push(`Test connection: ${p.testSteps.map((s) => s.name).join(' → ') || 'no checks'}.`, '');
  }
  return out.join('\n').trimEnd();
}
