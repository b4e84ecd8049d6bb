import type { ReactNode } from 'react';
import { cn } from '@/components/ui/cn';

const TONES = {
  info: 'border-sky-300 bg-sky-50 text-sky-900',
  success: 'border-emerald-300 bg-emerald-50 text-emerald-900',
  warning: 'border-amber-300 bg-amber-50 text-amber-900',
  danger: 'border-red-300 bg-red-50 text-red-900',
} as const;

/** A message box; `role="alert"` for danger so screen readers announce failures. */
export function Alert({
  tone = 'info',
  title,
  className,
  children,
}: {
  tone?: keyof typeof TONES;
  title?: ReactNode;
  className?: string;
  children?: ReactNode;
}) {
  return (
    <div role={tone === 'danger' ? 'alert' : 'status'} className={cn('rounded-md border px-3 py-2 text-sm', TONES[tone], className)}>
      {title && <p className="font-semibold">{title}</p>}
      {children && <div className={title ? 'mt-0.5' : undefined}>{children}</div>}
    </div>
  );
}
