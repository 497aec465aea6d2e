import { ref } from 'vue';
import type { DownloadedFile } from '@/api/client';
import { saveFile } from '@/utils/save-file';
import { useErrorText } from './useErrorText';

/**
 * A file download behind a button: `downloading` drives its spinner, the file is handed to the
 * browser under the server's name (or `fallbackName`), a failure is shown as a message.
 */
export function useDownload() {
  const errorText = useErrorText();
  const downloading = ref(false);

  async function download(fetchFile: () => Promise<DownloadedFile>, fallbackName: string): Promise<void> {
    downloading.value = true;
    try {
      const file = await fetchFile();
      saveFile(file.blob, file.filename ?? fallbackName);
    } catch (error) {
      ElMessage.error(errorText(error));
    } finally {
      downloading.value = false;
    }
  }

  return { downloading, download };
}
