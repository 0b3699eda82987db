// A row's action button in the connector list.

/**
 * Words on wide lists, a symbol on narrow ones. The aria-label names the action and its target either way; the
 * tooltip says the same, or why the action is not available.
 */
export function ActionButton({
  icon,
  text,
  label,
  disabled,
  why,
  onClick,
}: {
  icon: string;
  text: string;
  label: string;
  disabled: boolean;
  why?: string | null | undefined;
  onClick: () => void;
}) {
  return (
    <button type="button" disabled={disabled} aria-label={label} title={disabled && why ? why : label} onClick={onClick}>
      <span className="action-icon" aria-hidden="true">
        {icon}
      </span>
      <span className="action-text">{text}</span>
    </button>
  );
}
