import MarkdownIt from 'markdown-it';

/**
 * Markdown for notes, configured so that nothing a note says can run in a browser:
 * raw HTML is escaped (html: false), images are off (no tracking pixels, no data: URLs) and links
 * are kept only for http(s), mailto and relative targets, so `javascript:` never becomes a link.
 * The output of markdown-it in this mode is escaped by construction; nothing else is needed.
 * @see https://github.com/markdown-it/markdown-it/blob/master/docs/security.md
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });
md.disable(['image']);

const SAFE_LINK = /^(https?:|mailto:)/i;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

md.validateLink = (url: string): boolean => {
  // Browsers ignore leading whitespace and control characters before a scheme.
  const trimmed = url.replace(/^[\s\u0000-\u001f]+/, '');
  return SAFE_LINK.test(trimmed) || !HAS_SCHEME.test(trimmed.replace(/[\s\u0000-\u001f]/g, ''));
};

const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  token.attrSet('rel', 'noopener noreferrer nofollow');
  token.attrSet('target', '_blank');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** Renders a note's Markdown to HTML that is safe to put in the page with dangerouslySetInnerHTML. */
export function renderNoteMarkdown({ markdown }: { markdown: string }): string {
  return md.render(markdown);
}
