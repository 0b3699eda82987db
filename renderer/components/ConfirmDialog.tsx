// One native modal dialog for confirmations: <dialog>.showModal() gives focus trapping, Escape to cancel and an
// inert background without any script of ours.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  resolve: (ok: boolean) => void;
}

type Confirm = (title: string, message: string, confirmLabel: string) => Promise<boolean>;

const ConfirmContext = createContext<Confirm | null>(null);

export function useConfirm(): Confirm {
  const confirm = useContext(ConfirmContext);
  if (!confirm) throw new Error('INTEGRATION-CONSOLE-500-002 useConfirm was called outside <ConfirmProvider>.');
  return confirm;
}

export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  const confirm = useCallback<Confirm>(
    (title, message, confirmLabel) => new Promise<boolean>((resolve) => setRequest({ title, message, confirmLabel, resolve })),
    [],
  );

  useEffect(() => {
    if (!request || !dialog.current || dialog.current.open) return;
    dialog.current.showModal();
    // Focused here, not with autoFocus: React focused such an element itself, Preact only sets the attribute and
    // leaves it to showModal, which not every DOM honours (happy-dom in the tests does not).
    cancel.current?.focus();
  }, [request]);

  const close = (ok: boolean) => {
    request?.resolve(ok);
    setRequest(null);
    dialog.current?.close();
  };

  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      <dialog
        ref={dialog}
        className="dialog"
        aria-labelledby="confirm-title"
        aria-describedby="confirm-message"
        onCancel={(e) => {
          e.preventDefault();
          close(false);
        }}
      >
        {request && (
          <form
            method="dialog"
            onSubmit={(e) => {
              e.preventDefault();
              close(true);
            }}
          >
            <h2 id="confirm-title">{request.title}</h2>
            <p id="confirm-message">{request.message}</p>
            <div className="dialog-buttons">
              <button type="button" ref={cancel} onClick={() => close(false)}>
                Cancel
              </button>
              <button type="submit" className="primary">
                {request.confirmLabel}
              </button>
            </div>
          </form>
        )}
      </dialog>
    </ConfirmContext.Provider>
  );
}
