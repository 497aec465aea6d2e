import { useI18n } from 'vue-i18n';

export interface ConfirmOptions {
  /** The confirm button's text; 删除 by default. */
  confirmText?: string;
  type?: 'warning' | 'info';
  /** A red confirm button, for what cannot be undone. */
  danger?: boolean;
}

/** Asks before a consequential action; resolves true when confirmed (cancel or closing the box is no). */
export function useConfirm() {
  const { t } = useI18n();

  return function confirm(message: string, title: string, options: ConfirmOptions = {}): Promise<boolean> {
    return ElMessageBox.confirm(message, title, {
      type: options.type ?? 'warning',
      confirmButtonText: options.confirmText ?? t('common.delete'),
      cancelButtonText: t('common.cancel'),
      ...(options.danger && { confirmButtonClass: 'el-button--danger' }),
    }).then(
      () => true,
      () => false,
    );
  };
}
